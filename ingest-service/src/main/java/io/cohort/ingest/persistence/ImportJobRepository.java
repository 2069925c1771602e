package io.cohort.ingest.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** CSV import jobs: state, committed progress (char/line offsets) and counters. */
@ApplicationScoped
public class ImportJobRepository {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    private final EntityManager em;

    public ImportJobRepository(EntityManager em) {
        this.em = em;
    }

    public record Job(UUID id, String kind, String status, String filePath, long fileBytes, String header,
            long charOffset, long lineOffset, long rowsRead, long accepted, long rejected, String errors,
            String failure, Instant createdAt, Instant updatedAt, Instant completedAt) {
    }

    @Transactional
    public void create(UUID id, String kind, String filePath, long fileBytes, Instant now) {
        em.createNativeQuery("""
                insert into import_job (id, kind, status, file_path, file_bytes, created_at, updated_at)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?6)""")
                .setParameter(1, id).setParameter(2, kind).setParameter(3, QUEUED).setParameter(4, filePath)
                .setParameter(5, fileBytes).setParameter(6, now).executeUpdate();
    }

    @Transactional
    public Optional<Job> find(UUID id) {
        List<?> rows = em.createNativeQuery("""
                select id, kind, status, file_path, file_bytes, header, char_offset, line_offset, rows_read, accepted,
                       rejected, errors, failure, created_at, updated_at, completed_at
                from import_job where id = ?1""").setParameter(1, id).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new Job((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], num(r[4]), (String) r[5],
                num(r[6]), num(r[7]), num(r[8]), num(r[9]), num(r[10]), (String) r[11], (String) r[12], instant(r[13]),
                instant(r[14]), instant(r[15])));
    }

    /** Jobs that were queued or running when the service stopped: they resume where they were. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<UUID> unfinished() {
        return em.createNativeQuery("select id from import_job where status in (?1, ?2) order by created_at")
                .setParameter(1, QUEUED).setParameter(2, RUNNING).getResultList();
    }

    /**
     * Claims the job for {@code owner} and marks it running: a queued job, one this owner already ran, or
     * one whose last heartbeat (progress, header or status update) is before {@code staleBefore}, as left by
     * a replica that stopped. One statement, so of two replicas racing for a job exactly one wins.
     */
    @Transactional
    public boolean claim(UUID id, String owner, Instant now, Instant staleBefore) {
        return em.createNativeQuery("""
                update import_job set status = ?2, owner = ?3, updated_at = ?4
                where id = ?1 and (status = ?5
                       or (status = ?2 and (owner is null or owner = ?3 or updated_at < ?6)))""")
                .setParameter(1, id).setParameter(2, RUNNING).setParameter(3, owner).setParameter(4, now)
                .setParameter(5, QUEUED).setParameter(6, staleBefore)
                .executeUpdate() == 1;
    }

    @Transactional
    public void status(UUID id, String status, String failure, Instant now) {
        em.createNativeQuery("""
                update import_job set status = ?2, failure = ?3, updated_at = ?4,
                       completed_at = case when ?2 in ('completed', 'failed') then ?4 else completed_at end
                where id = ?1""")
                .setParameter(1, id).setParameter(2, status).setParameter(3, failure).setParameter(4, now)
                .executeUpdate();
    }

    @Transactional
    public void header(UUID id, String headerJson, long charOffset, long lineOffset, Instant now) {
        em.createNativeQuery("""
                update import_job set header = ?2, char_offset = ?3, line_offset = ?4, updated_at = ?5 where id = ?1""")
                .setParameter(1, id).setParameter(2, headerJson).setParameter(3, charOffset).setParameter(4, lineOffset)
                .setParameter(5, now).executeUpdate();
    }

    /** Progress after a chunk, in the caller's transaction (the one that claimed the chunk's events). */
    public void progress(UUID id, long charOffset, long lineOffset, long rowsRead, long accepted, long rejected,
            String errorsJson, Instant now) {
        em.createNativeQuery("""
                update import_job set char_offset = ?2, line_offset = ?3, rows_read = ?4, accepted = ?5, rejected = ?6,
                       errors = ?7, updated_at = ?8 where id = ?1""")
                .setParameter(1, id).setParameter(2, charOffset).setParameter(3, lineOffset).setParameter(4, rowsRead)
                .setParameter(5, accepted).setParameter(6, rejected).setParameter(7, errorsJson).setParameter(8, now)
                .executeUpdate();
    }

    private static long num(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}
