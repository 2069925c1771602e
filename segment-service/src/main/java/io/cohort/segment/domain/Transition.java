package io.cohort.segment.domain;

import io.cohort.contracts.MembershipChange;
import java.util.UUID;

/** One real change of one subscriber's membership in one segment. */
public record Transition(UUID segmentId, String segmentName, int segmentVersion, String subscriberId,
        MembershipChange change, String reason, boolean holdout) {
}
