package io.cohort.segment.persistence;

import io.cohort.contracts.MembershipChange;
import io.cohort.segment.domain.Segment;
import io.cohort.segment.domain.Transition;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Backfills (create and edit) and sweeps with their progress: processed of total views, entered
 * and exited counts, status running / completed / failed (/ cancelled: an asynchronous backfill
 * overtaken by an edit or archive).
 */
@ApplicationScoped
public class JobRepository {

    private static final String COLUMNS = "id, kind, segment_id, segment_version, status, processed, total, entered, "
            + "exited, started_at, finished_at";

    private final Jdbc jdbc;

    public JobRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** A backfill starting: written and committed at once, so its progress is visible while it runs. */
    public UUID startBackfill(Segment segment, long total, Instant at) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into segment_job (id, kind, segment_id, segment_version, status, total, started_at) "
                + "values (?, 'backfill', ?, ?, 'running', ?, ?)", s -> {
                    s.setObject(1, id);
                    s.setObject(2, segment.id());
                    s.setInt(3, segment.version());
                    s.setLong(4, total);
                    s.setObject(5, Jdbc.timestamp(at));
                });
        return id;
    }

    /** Marks a job completed with its final counts. */
    public void complete(UUID id, long processed, List<Transition> transitions, Instant at) {
        long entered = transitions.stream().filter(t -> t.change() == MembershipChange.ENTERED).count();
        jdbc.update("update segment_job set status = 'completed', processed = ?, entered = ?, exited = ?, "
                + "finished_at = ? where id = ?", s -> {
                    s.setLong(1, processed);
                    s.setLong(2, entered);
                    s.setLong(3, transitions.size() - entered);
                    s.setObject(4, Jdbc.timestamp(at));
                    s.setObject(5, id);
                });
    }

    public UUID startSweep(long total, Instant at) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into segment_job (id, kind, status, total, started_at) values (?, 'sweep', 'running', ?, ?)",
                s -> {
                    s.setObject(1, id);
                    s.setLong(2, total);
                    s.setObject(3, Jdbc.timestamp(at));
                });
        return id;
    }

    public void progress(UUID id, long processed, long entered, long exited) {
        jdbc.update("update segment_job set processed = ?, entered = ?, exited = ? where id = ?", s -> {
            s.setLong(1, processed);
            s.setLong(2, entered);
            s.setLong(3, exited);
            s.setObject(4, id);
        });
    }

    /** Adds one page to a job's counts (asynchronous backfills, in the page's transaction). */
    public void advance(UUID id, long processed, long entered, long exited) {
        jdbc.update("update segment_job set processed = processed + ?, entered = entered + ?, exited = exited + ? "
                + "where id = ?", s -> {
                    s.setLong(1, processed);
                    s.setLong(2, entered);
                    s.setLong(3, exited);
                    s.setObject(4, id);
                });
    }

    public void finish(UUID id, String status, Instant at) {
        jdbc.update("update segment_job set status = ?, finished_at = ? where id = ?", s -> {
            s.setString(1, status);
            s.setObject(2, Jdbc.timestamp(at));
            s.setObject(3, id);
        });
    }

    /** The newest backfill of a segment. */
    public Optional<Job> latestBackfill(UUID segmentId) {
        return jdbc.query("select " + COLUMNS + " from segment_job where kind = 'backfill' and segment_id = ? "
                + "order by started_at desc, segment_version desc limit 1", s -> s.setObject(1, segmentId), this::job)
                .stream().findFirst();
    }

    /** Jobs newest first. */
    public List<Job> recent(int limit) {
        return jdbc.query("select " + COLUMNS + " from segment_job order by started_at desc limit ?",
                s -> s.setInt(1, limit), this::job);
    }

    public Optional<Job> find(UUID id) {
        return jdbc.query("select " + COLUMNS + " from segment_job where id = ?", s -> s.setObject(1, id), this::job)
                .stream().findFirst();
    }

    private Job job(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Job(row.getObject("id", UUID.class), row.getString("kind"), row.getObject("segment_id", UUID.class),
                Jdbc.nullableInt(row, "segment_version"), row.getString("status"), row.getLong("processed"),
                row.getLong("total"), row.getLong("entered"), row.getLong("exited"), Jdbc.instant(row, "started_at"),
                Jdbc.instant(row, "finished_at"));
    }

    public record Job(UUID id, String kind, UUID segmentId, Integer segmentVersion, String status, long processed,
            long total, long entered, long exited, Instant startedAt, Instant finishedAt) {
    }
}
