package io.cohort.model;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/** Direct reads (and one reset) of the service's tables, for tests to wait on and check. */
@ApplicationScoped
public class TestDatabase {

    private final EntityManager em;

    public TestDatabase(EntityManager em) {
        this.em = em;
    }

    /** Forgets every subscriber, so a training test sees only its own snapshots. */
    @Transactional
    public void clearSubscribers() {
        em.createNativeQuery("delete from subscriber_score").executeUpdate();
        em.createNativeQuery("delete from served_prediction").executeUpdate();
        em.createNativeQuery("delete from feature_snapshot").executeUpdate();
    }

    /** A score as if it had been served on {@code day} (calibration tests cannot wait for a horizon to pass). */
    @Transactional
    public void insertServed(String family, java.time.LocalDate day, String subscriberId, int version, double score) {
        em.createNativeQuery("""
                insert into served_prediction (family, served_on, subscriber_id, model_version, score)
                values (?1, ?2, ?3, ?4, ?5)""")
                .setParameter(1, family).setParameter(2, day).setParameter(3, subscriberId)
                .setParameter(4, version).setParameter(5, score).executeUpdate();
    }

    @Transactional
    public long servedRows(String subscriberPrefix) {
        return ((Number) em.createNativeQuery("select count(*) from served_prediction where subscriber_id like ?1")
                .setParameter(1, subscriberPrefix + "%").getSingleResult()).longValue();
    }

    @Transactional
    public long snapshotsWithPrefix(String prefix) {
        return ((Number) em.createNativeQuery("select count(*) from feature_snapshot where subscriber_id like ?1")
                .setParameter(1, prefix + "%").getSingleResult()).longValue();
    }

    @Transactional
    public Optional<Long> snapshotVersion(String subscriberId) {
        List<?> rows = em.createNativeQuery("select version from feature_snapshot where subscriber_id = ?1")
                .setParameter(1, subscriberId).getResultList();
        return rows.stream().map(v -> ((Number) v).longValue()).findFirst();
    }

    @Transactional
    public Optional<String> snapshotFeatures(String subscriberId) {
        List<?> rows = em.createNativeQuery("select features::text from feature_snapshot where subscriber_id = ?1")
                .setParameter(1, subscriberId).getResultList();
        return rows.stream().map(v -> (String) v).findFirst();
    }

    @Transactional
    public boolean hasScoreRow(String subscriberId) {
        return !em.createNativeQuery("select 1 from subscriber_score where subscriber_id = ?1")
                .setParameter(1, subscriberId).getResultList().isEmpty();
    }

    /** When the subscriber's last score was published (recorded after the broker's ack), if ever. */
    @Transactional
    public Optional<String> scorePublishedAt(String subscriberId) {
        List<?> rows = em.createNativeQuery("select published_at::text from subscriber_score where subscriber_id = ?1")
                .setParameter(1, subscriberId).getResultList();
        return rows.stream().map(v -> (String) v).findFirst();
    }

    /** Removes every version of a family (tests of other families must not see it active). */
    @Transactional
    public void deleteVersions(String family) {
        em.createNativeQuery("delete from model_version where family = ?1").setParameter(1, family).executeUpdate();
    }

    /** Stores a job row as another (possibly stopped) process would have left it. */
    @Transactional
    public void insertJob(java.util.UUID id, String family, String state, String owner,
            java.time.Instant heartbeatAt, java.time.Instant updatedAt) {
        em.createNativeQuery("""
                insert into training_job (id, family, state, progress, stage, request, created_at, updated_at,
                    owner, heartbeat_at)
                values (?1, ?2, ?3, 0.3, 'training', cast('{}' as jsonb), ?4, ?4, ?5, ?6)""")
                .setParameter(1, id).setParameter(2, family).setParameter(3, state).setParameter(4, updatedAt)
                .setParameter(5, owner).setParameter(6, heartbeatAt).executeUpdate();
    }

    @Transactional
    public void deleteJobs(List<java.util.UUID> ids) {
        ids.forEach(id -> em.createNativeQuery("delete from training_job where id = ?1").setParameter(1, id)
                .executeUpdate());
    }
}
