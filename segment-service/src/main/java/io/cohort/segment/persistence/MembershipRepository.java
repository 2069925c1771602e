package io.cohort.segment.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Who is in which segment. Entering and exiting report whether a row really changed, so only a
 * real transition produces an event even when a backfill and a live update meet.
 */
@ApplicationScoped
public class MembershipRepository {

    private final Jdbc jdbc;

    public MembershipRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** True when the subscriber was not a member before. */
    public boolean enter(UUID segmentId, String subscriberId, Instant at, boolean holdout) {
        return jdbc.update("insert into membership (segment_id, subscriber_id, entered_at, holdout) "
                + "values (?, ?, ?, ?) on conflict do nothing", s -> {
                    s.setObject(1, segmentId);
                    s.setString(2, subscriberId);
                    s.setObject(3, Jdbc.timestamp(at));
                    s.setBoolean(4, holdout);
                }) == 1;
    }

    /** The subscriber's current memberships: segment id → holdout flag. */
    public Map<UUID, Boolean> memberships(String subscriberId) {
        Map<UUID, Boolean> current = new HashMap<>();
        jdbc.query("select segment_id, holdout from membership where subscriber_id = ?", s -> s.setString(1, subscriberId),
                row -> current.put(row.getObject("segment_id", UUID.class), row.getBoolean("holdout")));
        return current;
    }

    /** The memberships of these subscribers (for the read model): subscriber id → rows. */
    public Map<String, List<io.cohort.segment.domain.MembershipReadModel.StoredMembership>> membershipsOf(
            java.util.Collection<String> subscriberIds) {
        Map<String, List<io.cohort.segment.domain.MembershipReadModel.StoredMembership>> bySubscriber = new HashMap<>();
        jdbc.query("select subscriber_id, segment_id, entered_at, holdout from membership where subscriber_id = any(?)",
                s -> s.setArray(1, s.getConnection().createArrayOf("text", subscriberIds.toArray())),
                row -> bySubscriber.computeIfAbsent(row.getString("subscriber_id"), k -> new java.util.ArrayList<>())
                        .add(stored(row)));
        return bySubscriber;
    }

    /** Every membership of one segment (for the read model): subscriber id → row. */
    public Map<String, io.cohort.segment.domain.MembershipReadModel.StoredMembership> membersOf(UUID segmentId) {
        Map<String, io.cohort.segment.domain.MembershipReadModel.StoredMembership> members = new HashMap<>();
        jdbc.query("select subscriber_id, segment_id, entered_at, holdout from membership where segment_id = ?",
                s -> s.setObject(1, segmentId), row -> members.put(row.getString("subscriber_id"), stored(row)));
        return members;
    }

    private static io.cohort.segment.domain.MembershipReadModel.StoredMembership stored(java.sql.ResultSet row)
            throws java.sql.SQLException {
        return new io.cohort.segment.domain.MembershipReadModel.StoredMembership(row.getObject("segment_id", UUID.class),
                Jdbc.instant(row, "entered_at"), row.getBoolean("holdout"));
    }

    /** Sets a continuing member's holdout flag (after the holdout percentage changed); no transition. */
    public void setHoldout(UUID segmentId, String subscriberId, boolean holdout) {
        jdbc.update("update membership set holdout = ? where segment_id = ? and subscriber_id = ? "
                + "and holdout <> ?", s -> {
                    s.setBoolean(1, holdout);
                    s.setObject(2, segmentId);
                    s.setString(3, subscriberId);
                    s.setBoolean(4, holdout);
                });
    }

    /** Removes every member of a segment and returns them with their holdout flags. */
    public List<Member> exitAllOf(UUID segmentId) {
        return jdbc.query("delete from membership where segment_id = ? returning subscriber_id, entered_at, holdout",
                s -> s.setObject(1, segmentId), Member::of);
    }

    public Optional<Member> find(UUID segmentId, String subscriberId) {
        return jdbc.query("select subscriber_id, entered_at, holdout from membership where segment_id = ? "
                + "and subscriber_id = ?", s -> {
                    s.setObject(1, segmentId);
                    s.setString(2, subscriberId);
                }, Member::of).stream().findFirst();
    }

    /** Every member in subscriber order, streamed to {@code sink} a page at a time (for exports). */
    public void forEachMember(UUID segmentId, HoldoutFilter filter, int pageSize, Consumer<Member> sink) {
        String after = "";
        List<Member> page;
        do {
            page = page(segmentId, after, pageSize, filter);
            page.forEach(sink);
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).subscriberId();
            }
        } while (page.size() == pageSize);
    }

    /** True when the subscriber was a member before. */
    public boolean exit(UUID segmentId, String subscriberId) {
        return jdbc.update("delete from membership where segment_id = ? and subscriber_id = ?", s -> {
            s.setObject(1, segmentId);
            s.setString(2, subscriberId);
        }) == 1;
    }

    /** Removes every membership of the subscriber and returns the segments it had. */
    public List<RemovedMembership> exitAll(String subscriberId) {
        return jdbc.query("delete from membership m using segment s where m.segment_id = s.id "
                + "and m.subscriber_id = ? returning s.id, s.name, s.version, m.holdout",
                s -> s.setString(1, subscriberId),
                row -> new RemovedMembership(row.getObject("id", UUID.class), row.getString("name"),
                        row.getInt("version"), row.getBoolean("holdout")));
    }

    /** Members after {@code afterSubscriberId} (exclusive, "" for the start) in subscriber order. */
    public List<Member> page(UUID segmentId, String afterSubscriberId, int limit, HoldoutFilter filter) {
        return jdbc.query("select subscriber_id, entered_at, holdout from membership where segment_id = ? "
                + "and subscriber_id > ? " + filter.sql + " order by subscriber_id limit ?", s -> {
                    s.setObject(1, segmentId);
                    s.setString(2, afterSubscriberId);
                    s.setInt(3, limit);
                }, Member::of);
    }

    /**
     * Send-eligible members after {@code afterSubscriberId} in subscriber order: not held out and not
     * suppressed (see {@link io.cohort.segment.domain.Suppression}).
     */
    public List<Member> eligiblePage(UUID segmentId, String afterSubscriberId, int limit) {
        return jdbc.query("select m.subscriber_id, m.entered_at, m.holdout from membership m "
                + "join subscriber_view v on v.subscriber_id = m.subscriber_id where m.segment_id = ? "
                + "and m.subscriber_id > ? and not m.holdout and not v.suppressed order by m.subscriber_id limit ?", s -> {
                    s.setObject(1, segmentId);
                    s.setString(2, afterSubscriberId);
                    s.setInt(3, limit);
                }, Member::of);
    }

    /** Every send-eligible member in subscriber order, a page at a time. */
    public void forEachEligible(UUID segmentId, int pageSize, Consumer<Member> sink) {
        String after = "";
        List<Member> page;
        do {
            page = eligiblePage(segmentId, after, pageSize);
            page.forEach(sink);
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).subscriberId();
            }
        } while (page.size() == pageSize);
    }

    public List<SubscriberSegment> segmentsOf(String subscriberId) {
        return jdbc.query("select s.id, s.name, s.kind, m.entered_at, m.holdout from membership m "
                + "join segment s on s.id = m.segment_id where m.subscriber_id = ? order by m.entered_at, s.name",
                s -> s.setString(1, subscriberId),
                row -> new SubscriberSegment(row.getObject("id", UUID.class), row.getString("name"),
                        row.getString("kind"), Jdbc.instant(row, "entered_at"), row.getBoolean("holdout")));
    }

    /** Which members a listing shows: all, only those not held out, or only the holdout. */
    public enum HoldoutFilter {
        INCLUDE(""), EXCLUDE("and not holdout"), ONLY("and holdout");

        private final String sql;

        HoldoutFilter(String sql) {
            this.sql = sql;
        }
    }

    public record Member(String subscriberId, Instant enteredAt, boolean holdout) {
        static Member of(java.sql.ResultSet row) throws java.sql.SQLException {
            return new Member(row.getString("subscriber_id"), Jdbc.instant(row, "entered_at"),
                    row.getBoolean("holdout"));
        }
    }

    public record SubscriberSegment(UUID segmentId, String name, String kind, Instant enteredAt, boolean holdout) {
    }

    public record RemovedMembership(UUID segmentId, String segmentName, int segmentVersion, boolean holdout) {
    }
}
