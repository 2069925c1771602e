package io.cohort.feature.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * When a refresh run claims another batch of marked subscribers. Idle (no budget), it drains the
 * marks. While polls are being applied it stops once another batch as long as the last would overrun
 * its budget, so the recompute does not take the consumer's cores; but a budget alone caps how many
 * subscribers are refreshed per second, and with many distinct subscribers active the wait would grow
 * without bound. So, whatever the budget, it goes on while the batch it just claimed still held a
 * mark older than {@code maxWait}: batches are claimed oldest mark first, so older marks may remain.
 */
public record RefreshPace(Duration budget, Duration maxWait) {

    public RefreshPace {
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must be zero or positive");
        }
        if (budget != null && budget.isNegative()) {
            throw new IllegalArgumentException("budget must be zero or positive");
        }
    }

    /** Drains without a budget. */
    public static RefreshPace draining(Duration maxWait) {
        return new RefreshPace(null, maxWait);
    }

    /**
     * Whether to claim another batch after one that took {@code lastBatch}, {@code elapsed} into the
     * run, whose newest claimed mark was {@code newestClaimedMark} (null: the batch claimed nothing
     * with a mark time).
     */
    public boolean another(Duration elapsed, Duration lastBatch, Instant newestClaimedMark, Instant now) {
        if (budget == null) {
            return true;
        }
        if (newestClaimedMark != null && Duration.between(newestClaimedMark, now).compareTo(maxWait) > 0) {
            return true;
        }
        return elapsed.plus(lastBatch).compareTo(budget) <= 0;
    }
}
