package io.cohort.model.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The training_job table: asynchronous training runs and their progress. */
@ApplicationScoped
public class TrainingJobRepository {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    /** One job as stored. */
    public record Job(UUID id, String family, String state, double progress, String stage, String request,
            Integer version, String error, Instant createdAt, Instant updatedAt) {
    }

    /** The error of a job whose process stopped before it finished. */
    public static final String INTERRUPTED = "interrupted by restart";

    private final EntityManager em;
    /** This process: jobs run in its memory, so they are its own until they finish. */
    private final String owner = UUID.randomUUID().toString();

    public TrainingJobRepository(EntityManager em) {
        this.em = em;
    }

    public String owner() {
        return owner;
    }

    @Transactional
    public void create(UUID id, String family, String request, Instant now) {
        em.createNativeQuery("""
                insert into training_job (id, family, state, progress, stage, request, created_at, updated_at,
                    owner, heartbeat_at)
                values (?1, ?2, ?3, 0, 'queued', cast(?4 as jsonb), ?5, ?5, ?6, ?5)""")
                .setParameter(1, id).setParameter(2, family).setParameter(3, QUEUED).setParameter(4, request)
                .setParameter(5, now).setParameter(6, owner).executeUpdate();
    }

    /** Marks this process's unfinished jobs alive. */
    @Transactional
    public int heartbeat(Instant now) {
        return em.createNativeQuery("""
                update training_job set heartbeat_at = ?2
                where owner = ?1 and state in ('queued', 'running')""")
                .setParameter(1, owner).setParameter(2, now).executeUpdate();
    }

    /**
     * Fails every queued or running job of another process (or of none: rows from before owners were
     * recorded) that has not heartbeaten since {@code staleBefore}: its process stopped, and the job
     * with it. Returns how many were failed.
     */
    @Transactional
    public int failInterrupted(Instant staleBefore, Instant now) {
        return em.createNativeQuery("""
                update training_job set state = ?1, error = ?2, updated_at = ?3
                where state in ('queued', 'running') and owner is distinct from ?4
                  and coalesce(heartbeat_at, updated_at) < ?5""")
                .setParameter(1, FAILED).setParameter(2, INTERRUPTED).setParameter(3, now).setParameter(4, owner)
                .setParameter(5, staleBefore).executeUpdate();
    }

    @Transactional
    public void progress(UUID id, String state, double progress, String stage, Instant now) {
        em.createNativeQuery("""
                update training_job set state = ?2, progress = ?3, stage = ?4, updated_at = ?5, heartbeat_at = ?5
                where id = ?1""")
                .setParameter(1, id).setParameter(2, state).setParameter(3, progress).setParameter(4, stage)
                .setParameter(5, now).executeUpdate();
    }

    @Transactional
    public void succeeded(UUID id, int version, String stage, Instant now) {
        em.createNativeQuery("""
                update training_job set state = ?2, progress = 1, version = ?3, stage = ?4, updated_at = ?5
                where id = ?1""")
                .setParameter(1, id).setParameter(2, SUCCEEDED).setParameter(3, version).setParameter(4, stage)
                .setParameter(5, now).executeUpdate();
    }

    @Transactional
    public void failed(UUID id, String error, Instant now) {
        em.createNativeQuery("update training_job set state = ?2, error = ?3, updated_at = ?4 where id = ?1")
                .setParameter(1, id).setParameter(2, FAILED).setParameter(3, error).setParameter(4, now)
                .executeUpdate();
    }

    @Transactional
    public Optional<Job> find(UUID id) {
        List<?> rows = em.createNativeQuery("""
                select id, family, state, progress, stage, request::text, version, error, created_at, updated_at
                from training_job where id = ?1""").setParameter(1, id).getResultList();
        return rows.stream().map(row -> {
            Object[] r = (Object[]) row;
            return new Job((UUID) r[0], (String) r[1], (String) r[2], ((Number) r[3]).doubleValue(), (String) r[4],
                    (String) r[5], r[6] == null ? null : ((Number) r[6]).intValue(), (String) r[7],
                    Timestamps.instant(r[8]), Timestamps.instant(r[9]));
        }).findFirst();
    }
}
