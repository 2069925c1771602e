package io.cohort.segment.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

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
    public boolean enter(UUID segmentId, String subscriberId, Instant at) {
        return jdbc.update("insert into membership (segment_id, subscriber_id, entered_at) values (?, ?, ?) "
                + "on conflict do nothing", s -> {
                    s.setObject(1, segmentId);
                    s.setString(2, subscriberId);
                    s.setObject(3, Jdbc.timestamp(at));
                }) == 1;
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
                + "and m.subscriber_id = ? returning s.id, s.name, s.version",
                s -> s.setString(1, subscriberId),
                row -> new RemovedMembership(row.getObject("id", UUID.class), row.getString("name"),
                        row.getInt("version")));
    }

    /** Members after {@code afterSubscriberId} (exclusive, "" for the start) in subscriber order. */
    public List<Member> page(UUID segmentId, String afterSubscriberId, int limit) {
        return jdbc.query("select subscriber_id, entered_at from membership where segment_id = ? "
                + "and subscriber_id > ? order by subscriber_id limit ?", s -> {
                    s.setObject(1, segmentId);
                    s.setString(2, afterSubscriberId);
                    s.setInt(3, limit);
                }, row -> new Member(row.getString("subscriber_id"), Jdbc.instant(row, "entered_at")));
    }

    public List<SubscriberSegment> segmentsOf(String subscriberId) {
        return jdbc.query("select s.id, s.name, s.kind, m.entered_at from membership m "
                + "join segment s on s.id = m.segment_id where m.subscriber_id = ? order by m.entered_at, s.name",
                s -> s.setString(1, subscriberId),
                row -> new SubscriberSegment(row.getObject("id", UUID.class), row.getString("name"),
                        row.getString("kind"), Jdbc.instant(row, "entered_at")));
    }

    public record Member(String subscriberId, Instant enteredAt) {
    }

    public record SubscriberSegment(UUID segmentId, String name, String kind, Instant enteredAt) {
    }

    public record RemovedMembership(UUID segmentId, String segmentName, int segmentVersion) {
    }
}
