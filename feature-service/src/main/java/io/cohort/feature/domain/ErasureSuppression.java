package io.cohort.feature.domain;

import java.time.Instant;

/**
 * Whether an event of an erased subscriber is dropped: it is when it was received at or before the
 * erasure (it was in flight, and erasure must win over lagging consumption). One received later is
 * new data; ingest suppresses those itself until an explicit un-suppress, so here it is applied.
 * An event without a receive time cannot be shown to be newer, so it is dropped too.
 */
public final class ErasureSuppression {

    private ErasureSuppression() {
    }

    /** {@code erasedAt} null: the subscriber was never erased. */
    public static boolean drops(Instant receivedAt, Instant erasedAt) {
        return erasedAt != null && (receivedAt == null || !receivedAt.isAfter(erasedAt));
    }
}
