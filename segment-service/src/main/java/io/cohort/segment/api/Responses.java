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

    /**
     * {@code suppressed} only between instances of the streams engine (forwarded pages, for
     * snapshots); never in an answer to a client.
     */
    public record Member(String subscriberId, Instant enteredAt, boolean holdout,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean suppressed) {

        public Member(String subscriberId, Instant enteredAt, boolean holdout) {
            this(subscriberId, enteredAt, holdout, null);
        }

        Member withoutSuppressed() {
            return suppressed == null ? this : new Member(subscriberId, enteredAt, holdout);
        }
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

    /** {@code byRfmGroup}: matching subscribers per RFM group ("none" without one). */
    public record Preview(long size, List<String> sample, long evaluatedSubscribers,
            java.util.Map<String, Long> byRfmGroup) {
    }

    public record Template(String key, String name, String description, Object definition) {
    }

    public record Templates(List<Template> items) {
    }

    /** A backfill or sweep: processed of total views, entered/exited transitions. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Job(String id, String kind, String segmentId, Integer segmentVersion, String status, long processed,
            long total, long entered, long exited, Instant startedAt, Instant finishedAt) {
    }

    public record Jobs(List<Job> items) {
    }

    /** One UTC day of a segment's size: members, send-eligible (not held out, not suppressed), held out. */
    public record SizeDay(java.time.LocalDate day, long size, long eligible, long holdout, Instant recordedAt,
            boolean alert) {
    }

    public record SizeHistory(String segmentId, List<SizeDay> items) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Snapshot(String id, String segmentId, int segmentVersion, String label, Instant takenAt, long size) {
    }

    public record Snapshots(String segmentId, List<Snapshot> items) {
    }

    public record SnapshotMember(String subscriberId, boolean holdout, boolean suppressed) {
    }

    /** A frozen snapshot with a page of its members ({@code nextCursor} null on the last page). */
    public record SnapshotPage(Snapshot snapshot, List<SnapshotMember> items, String nextCursor) {
    }

    /** A recorded send. */
    public record Send(String subscriberId, Instant sentAt, String segmentId, String contentKey) {
    }

    /**
     * The next send of a subscriber: {@code send} false with a {@code reason} when nothing is to be
     * sent (unknown, suppressed, held out, in no segment with actions); otherwise the winning
     * segment's content, the subject line variant, and when to send.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Plan(String subscriberId, boolean send, String reason, boolean suppressed, boolean holdout,
            String segmentId, String segmentName, Integer priority, String contentKey, String offer,
            Integer subjectVariant, String subjectLine, Instant eligibleAt, Instant sendAt, String sendTimeSource,
            Integer sendsInWindow, List<String> candidateSegments) {
    }

    public record HistoryItem(int version, Object definition, Instant changedAt, String change) {
    }

    public record History(String segmentId, List<HistoryItem> items) {
    }

    /** A segment's current size: members, send-eligible (not held out, not suppressed), held out. */
    public record Size(String segmentId, long size, long eligible, long holdout) {
    }

    public record Sample(String segmentId, double percent, List<Member> items) {
    }
}
