package io.cohort.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * One real membership transition on {@link Topics#SEGMENT_MEMBERSHIP}, keyed by subscriber id.
 * {@code eventId} is unique per transition, so downstream consumers can drop a re-published copy.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SegmentMembershipEvent(
        int schemaVersion,
        String eventId,
        String subscriberId,
        String segmentId,
        String segmentName,
        int segmentVersion,
        MembershipChange change,
        String reason,
        boolean holdout,
        Instant occurredAt) {

    public static final int SCHEMA_VERSION = 1;
}
