package io.cohort.segment.persistence;

import io.cohort.segment.domain.Segment;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Frozen member lists of a segment, copied from the live membership in one statement. */
@ApplicationScoped
public class SnapshotRepository {

    private static final String COLUMNS = "id, segment_id, segment_version, label, taken_at, size";

    private final Jdbc jdbc;

    public SnapshotRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Copies the current members (with holdout and suppression flags) and returns the snapshot. */
    public Snapshot take(Segment segment, String label, Instant at) {
        UUID id = insertHeader(segment, label, at);
        int size = jdbc.update("insert into segment_snapshot_member (snapshot_id, subscriber_id, holdout, suppressed) "
                + "select ?, m.subscriber_id, m.holdout, coalesce(v.suppressed, false) from membership m "
                + "left join subscriber_view v on v.subscriber_id = m.subscriber_id where m.segment_id = ?", s -> {
                    s.setObject(1, id);
                    s.setObject(2, segment.id());
                });
        jdbc.update("update segment_snapshot set size = ? where id = ?", s -> {
            s.setLong(1, size);
            s.setObject(2, id);
        });
        return new Snapshot(id, segment.id(), segment.version(), label, at, size);
    }

    /**
     * Freezes the members {@code members} hands over (the streams engine reads them from its stores)
     * in JDBC batches, within the caller's transaction.
     */
    public Snapshot take(Segment segment, String label, Instant at,
            java.util.function.Consumer<java.util.function.Consumer<Member>> members) {
        UUID id = insertHeader(segment, label, at);
        List<Member> batch = new java.util.ArrayList<>();
        long[] size = {0};
        Runnable flush = () -> {
            jdbc.batch("insert into segment_snapshot_member (snapshot_id, subscriber_id, holdout, suppressed) "
                    + "values (?, ?, ?, ?)", batch, (s, m) -> {
                        s.setObject(1, id);
                        s.setString(2, m.subscriberId());
                        s.setBoolean(3, m.holdout());
                        s.setBoolean(4, m.suppressed());
                    });
            size[0] += batch.size();
            batch.clear();
        };
        members.accept(member -> {
            batch.add(member);
            if (batch.size() == 1000) {
                flush.run();
            }
        });
        flush.run();
        jdbc.update("update segment_snapshot set size = ? where id = ?", s -> {
            s.setLong(1, size[0]);
            s.setObject(2, id);
        });
        return new Snapshot(id, segment.id(), segment.version(), label, at, size[0]);
    }

    /** The snapshot row, size 0 until its members are in. */
    private UUID insertHeader(Segment segment, String label, Instant at) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into segment_snapshot (id, segment_id, segment_version, label, taken_at, size) "
                + "values (?, ?, ?, ?, ?, 0)", s -> {
                    s.setObject(1, id);
                    s.setObject(2, segment.id());
                    s.setInt(3, segment.version());
                    s.setString(4, label);
                    s.setObject(5, Jdbc.timestamp(at));
                });
        return id;
    }

    public List<Snapshot> list(UUID segmentId) {
        return jdbc.query("select " + COLUMNS + " from segment_snapshot where segment_id = ? order by taken_at, id",
                s -> s.setObject(1, segmentId), SnapshotRepository::snapshot);
    }

    public Optional<Snapshot> find(UUID segmentId, UUID id) {
        return jdbc.query("select " + COLUMNS + " from segment_snapshot where segment_id = ? and id = ?", s -> {
            s.setObject(1, segmentId);
            s.setObject(2, id);
        }, SnapshotRepository::snapshot).stream().findFirst();
    }

    /** Members after {@code after} in subscriber order. */
    public List<Member> members(UUID snapshotId, String after, int limit) {
        return jdbc.query("select subscriber_id, holdout, suppressed from segment_snapshot_member where snapshot_id = ? "
                + "and subscriber_id > ? order by subscriber_id limit ?", s -> {
                    s.setObject(1, snapshotId);
                    s.setString(2, after);
                    s.setInt(3, limit);
                }, row -> new Member(row.getString("subscriber_id"), row.getBoolean("holdout"),
                        row.getBoolean("suppressed")));
    }

    /** Erasure: the subscriber leaves every frozen list too (sizes keep what was counted). */
    public void forget(String subscriberId) {
        jdbc.update("delete from segment_snapshot_member where subscriber_id = ?", s -> s.setString(1, subscriberId));
    }

    private static Snapshot snapshot(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Snapshot(row.getObject("id", UUID.class), row.getObject("segment_id", UUID.class),
                row.getInt("segment_version"), row.getString("label"), Jdbc.instant(row, "taken_at"),
                row.getLong("size"));
    }

    public record Snapshot(UUID id, UUID segmentId, int segmentVersion, String label, Instant takenAt, long size) {
    }

    public record Member(String subscriberId, boolean holdout, boolean suppressed) {
    }
}
