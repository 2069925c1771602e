package io.cohort.model.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The model_version table. */
@ApplicationScoped
public class ModelVersionRepository {

    public static final String ACTIVE = "active";
    public static final String RETIRED = "retired";
    public static final String CANDIDATE = "candidate";

    private static final String COLUMNS = "family, version, status, created_at, hyperparameters::text, "
            + "metrics::text, preprocessing::text, profile::text";

    private final EntityManager em;

    public ModelVersionRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Stores a new version of the family as its active version and retires the previous active
     * one, atomically. Version numbers are allocated under a per-family advisory lock, so replicas
     * training at the same time get distinct numbers.
     *
     * @return the new version number
     */
    @Transactional
    public int insertActive(String family, Instant createdAt, String hyperparameters, String metrics,
            String preprocessing, String profile, String provenance, byte[] artifact) {
        em.createNativeQuery("select count(*) from (select pg_advisory_xact_lock(hashtext(?1))) locked")
                .setParameter(1, family).getSingleResult();
        int version = ((Number) em.createNativeQuery(
                "select coalesce(max(version), 0) + 1 from model_version where family = ?1")
                .setParameter(1, family).getSingleResult()).intValue();
        em.createNativeQuery("update model_version set status = ?2 where family = ?1 and status = ?3")
                .setParameter(1, family).setParameter(2, RETIRED).setParameter(3, ACTIVE).executeUpdate();
        em.createNativeQuery("""
                insert into model_version (family, version, status, created_at, hyperparameters, metrics,
                    preprocessing, profile, provenance, artifact)
                values (?1, ?2, ?3, ?4, cast(?5 as jsonb), cast(?6 as jsonb), cast(?7 as jsonb), cast(?8 as jsonb),
                    ?9, ?10)""")
                .setParameter(1, family)
                .setParameter(2, version)
                .setParameter(3, ACTIVE)
                .setParameter(4, createdAt)
                .setParameter(5, hyperparameters)
                .setParameter(6, metrics)
                .setParameter(7, preprocessing)
                .setParameter(8, profile)
                .setParameter(9, provenance)
                .setParameter(10, artifact)
                .executeUpdate();
        return version;
    }

    @Transactional
    public Optional<Integer> activeVersion(String family) {
        List<?> rows = em.createNativeQuery("select version from model_version where family = ?1 and status = ?2")
                .setParameter(1, family).setParameter(2, ACTIVE).getResultList();
        return rows.stream().map(v -> ((Number) v).intValue()).findFirst();
    }

    @Transactional
    public long count(String family) {
        return ((Number) em.createNativeQuery("select count(*) from model_version where family = ?1")
                .setParameter(1, family).getSingleResult()).longValue();
    }

    /** Versions of the family, newest first. */
    @Transactional
    public List<ModelVersionRow> list(String family) {
        List<?> rows = em.createNativeQuery(
                "select " + COLUMNS + " from model_version where family = ?1 order by version desc")
                .setParameter(1, family).getResultList();
        return rows.stream().map(row -> row((Object[]) row)).toList();
    }

    @Transactional
    public Optional<ModelVersionRow> find(String family, int version) {
        List<?> rows = em.createNativeQuery(
                "select " + COLUMNS + " from model_version where family = ?1 and version = ?2")
                .setParameter(1, family).setParameter(2, version).getResultList();
        return rows.stream().map(row -> row((Object[]) row)).findFirst();
    }

    @Transactional
    public Optional<byte[]> artifact(String family, int version) {
        List<?> rows = em.createNativeQuery("select artifact from model_version where family = ?1 and version = ?2")
                .setParameter(1, family).setParameter(2, version).getResultList();
        return rows.stream().map(bytes -> (byte[]) bytes).findFirst();
    }

    @Transactional
    public Optional<String> provenance(String family, int version) {
        List<?> rows = em.createNativeQuery("select provenance from model_version where family = ?1 and version = ?2")
                .setParameter(1, family).setParameter(2, version).getResultList();
        return rows.stream().map(text -> (String) text).findFirst();
    }

    private static ModelVersionRow row(Object[] row) {
        return new ModelVersionRow((String) row[0], ((Number) row[1]).intValue(), (String) row[2],
                Timestamps.instant(row[3]), (String) row[4], (String) row[5], (String) row[6], (String) row[7]);
    }
}
