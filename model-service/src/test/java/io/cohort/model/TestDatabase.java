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
        em.createNativeQuery("delete from feature_snapshot").executeUpdate();
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

    /** Removes every version of a family (tests of other families must not see it active). */
    @Transactional
    public void deleteVersions(String family) {
        em.createNativeQuery("delete from model_version where family = ?1").setParameter(1, family).executeUpdate();
    }
}
