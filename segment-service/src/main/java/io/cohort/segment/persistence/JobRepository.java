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

    /**
     * This process, as the owner of the jobs it runs: its heartbeat ({@link #heartbeat}) tells other
     * replicas the jobs are alive. Heartbeats use the database's clock, so replicas agree on staleness.
     */
    public static final String OWNER = UUID.randomUUID().toString();

    /** A backfill starting: written and committed at once, so its progress is visible while it runs. */
    public UUID startBackfill(Segment segment, long total, Instant at) {
        return startBackfill(segment, total, at, false);
    }

    /** As {@link #startBackfill(Segment, long, Instant)}; {@code resyncHoldout}: an edit, kept for a resume. */
    public UUID startBackfill(Segment segment, long total, Instant at, boolean resyncHoldout) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into segment_job (id, kind, segment_id, segment_version, status, total, started_at, "
                + "owner, heartbeat_at, resync_holdout) values (?, 'backfill', ?, ?, 'running', ?, ?, ?, now(), ?)",
                s -> {
                    s.setObject(1, id);
                    s.setObject(2, segment.id());
                    s.setInt(3, segment.version());
                    s.setLong(4, total);
                    s.setObject(5, Jdbc.timestamp(at));
                    s.setString(6, OWNER);
                    s.setBoolean(7, resyncHoldout);
                });
        return id;
    }

    /** Proves this process alive for every job it runs (or has queued). */
    public void heartbeat() {
        jdbc.update("update segment_job set heartbeat_at = now() where owner = ? and status = 'running'",
                s -> s.setString(1, OWNER));
    }

    /**
     * Takes over the jobs still {@code running} whose owner has not proved itself alive for
     * {@code staleAfter} (a dead process): they become this process's. Replicas racing for one job
     * cannot both win: the update re-checks the heartbeat once it holds the row.
     */
    public List<Interrupted> claimInterrupted(java.time.Duration staleAfter) {
        return jdbc.query("update segment_job set owner = ?, heartbeat_at = now() where status = 'running' "
                + "and coalesce(heartbeat_at, started_at) < now() - make_interval(secs => ?) "
                + "and owner is distinct from ? returning id, kind, segment_id, segment_version, resume_after, resync_holdout", s -> {
                    s.setString(1, OWNER);
                    s.setDouble(2, staleAfter.toMillis() / 1000.0);
                    s.setString(3, OWNER);
                }, row -> new Interrupted(row.getObject("id", UUID.class), row.getString("kind"),
                        row.getObject("segment_id", UUID.class), Jdbc.nullableInt(row, "segment_version"),
                        row.getString("resume_after"), row.getBoolean("resync_holdout")));
    }

    /** A job taken over from a dead process; {@code resumeAfter}: the last subscriber of its last committed page. */
    public record Interrupted(UUID id, String kind, UUID segmentId, Integer segmentVersion, String resumeAfter,
            boolean resyncHoldout) {
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
        jdbc.update("insert into segment_job (id, kind, status, total, started_at, owner, heartbeat_at) "
                + "values (?, 'sweep', 'running', ?, ?, ?, now())", s -> {
                    s.setObject(1, id);
                    s.setLong(2, total);
                    s.setObject(3, Jdbc.timestamp(at));
                    s.setString(4, OWNER);
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

    /**
     * Adds one page to a job's counts and records where it got to (asynchronous backfills, in the
     * page's transaction, so the resume point is exactly the last committed page).
     */
    public void advance(UUID id, long processed, long entered, long exited, String resumeAfter) {
        jdbc.update("update segment_job set processed = processed + ?, entered = entered + ?, exited = exited + ?, "
                + "resume_after = ?, heartbeat_at = now() where id = ?", s -> {
                    s.setLong(1, processed);
                    s.setLong(2, entered);
                    s.setLong(3, exited);
                    s.setString(4, resumeAfter);
                    s.setObject(5, id);
                });
    }

    public void finish(UUID id, String status, Instant at) {
        jdbc.update("update segment_job set status = ?, finished_at = ? where id = ?", s -> {
            s.setString(1, status);
            s.setObject(2, Jdbc.timestamp(at));
            s.setObject(3, id);
        });
    }

    /** Backfills still running, oldest first (the streams engine follows them: StreamsBackfills). */
    public List<Job> runningBackfills() {
        return jdbc.query("select " + COLUMNS + " from segment_job where kind = 'backfill' and status = 'running' "
                + "order by started_at", s -> {
                }, this::job);
    }

    /** Sets a job's processed and total views and its transitions (a streams backfill: summed over the stream tasks). */
    public void progressOf(UUID id, long processed, long total, long entered, long exited) {
        jdbc.update("update segment_job set processed = ?, total = ?, entered = ?, exited = ?, heartbeat_at = now() "
                + "where id = ?", s -> {
                    s.setLong(1, processed);
                    s.setLong(2, total);
                    s.setLong(3, entered);
                    s.setLong(4, exited);
                    s.setObject(5, id);
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
