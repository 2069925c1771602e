package io.cohort.segment.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One subscriber's membership of one segment as the streams engine keeps it next to the view:
 * the segment as it was when last evaluated, since when the subscriber is in, and whether held out.
 */
public record Membership(UUID segmentId, String segmentName, int segmentVersion, Instant enteredAt,
        boolean holdout) {
}
