package io.cohort.segment.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cohort.segment.domain.Explanation;
import java.time.Instant;
import java.util.List;

/** Response bodies of the read APIs. */
public final class Responses {

    private Responses() {
    }

    public record SegmentList(List<SegmentDocument> items) {
    }

    public record Member(String subscriberId, Instant enteredAt, boolean holdout) {
    }

    /** {@code nextCursor} is null on the last page. */
    public record MemberPage(String segmentId, List<Member> items, String nextCursor) {
    }

    /** {@code explanation} only with {@code ?explain=true}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SubscriberSegment(String segmentId, String name, String kind, Instant enteredAt, boolean holdout,
            Explanation explanation) {
    }

    public record SubscriberSegments(String subscriberId, List<SubscriberSegment> segments) {
    }

    /** One subscriber's membership of one segment, with the evaluation of its current view. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Membership(String segmentId, String subscriberId, boolean member, boolean holdout, Instant enteredAt,
            Explanation explanation) {
    }

    public record Preview(long size, List<String> sample, long evaluatedSubscribers) {
    }

    public record HistoryItem(int version, Object definition, Instant changedAt, String change) {
    }

    public record History(String segmentId, List<HistoryItem> items) {
    }

    public record Sample(String segmentId, double percent, List<Member> items) {
    }
}
