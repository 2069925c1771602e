package io.cohort.segment.api;

import java.time.Instant;
import java.util.List;

/** Response bodies of the read APIs. */
public final class Responses {

    private Responses() {
    }

    public record SegmentList(List<SegmentDocument> items) {
    }

    public record Member(String subscriberId, Instant enteredAt) {
    }

    /** {@code nextCursor} is null on the last page. */
    public record MemberPage(String segmentId, List<Member> items, String nextCursor) {
    }

    public record SubscriberSegment(String segmentId, String name, String kind, Instant enteredAt) {
    }

    public record SubscriberSegments(String subscriberId, List<SubscriberSegment> segments) {
    }
}
