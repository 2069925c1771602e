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
        return insert(family, ACTIVE, createdAt, hyperparameters, metrics, preprocessing, profile, provenance, artifact);
    }

    /**
     * Stores a new version with the given status ({@code active} retires the previous active one,
     * {@code candidate} leaves it alone), under the per-family advisory lock.
     */
    @Transactional
    public int insert(String family, String status, Instant createdAt, String hyperparameters, String metrics,
            String preprocessing, String profile, String provenance, byte[] artifact) {
        em.createNativeQuery("select count(*) from (select pg_advisory_xact_lock(hashtext(?1))) locked")
                .setParameter(1, family).getSingleResult();
        int version = ((Number) em.createNativeQuery(
                "select coalesce(max(version), 0) + 1 from model_version where family = ?1")
                .setParameter(1, family).getSingleResult()).intValue();
        if (ACTIVE.equals(status)) {
            em.createNativeQuery("update model_version set status = ?2 where family = ?1 and status = ?3")
                    .setParameter(1, family).setParameter(2, RETIRED).setParameter(3, ACTIVE).executeUpdate();
        }
        em.createNativeQuery("""
                insert into model_version (family, version, status, created_at, hyperparameters, metrics,
                    preprocessing, profile, provenance, artifact)
                values (?1, ?2, ?3, ?4, cast(?5 as jsonb), cast(?6 as jsonb), cast(?7 as jsonb), cast(?8 as jsonb),
                    ?9, ?10)""")
                .setParameter(1, family)
                .setParameter(2, version)
                .setParameter(3, status)
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

    /**
     * Makes {@code version} the family's active version and retires the previous active one.
     *
     * @return false when the version does not exist
     */
    @Transactional
    public boolean activate(String family, int version) {
        em.createNativeQuery("select count(*) from (select pg_advisory_xact_lock(hashtext(?1))) locked")
                .setParameter(1, family).getSingleResult();
        if (find(family, version).isEmpty()) {
            return false;
        }
        em.createNativeQuery("update model_version set status = ?2 where family = ?1 and status = ?3 and version <> ?4")
                .setParameter(1, family).setParameter(2, RETIRED).setParameter(3, ACTIVE).setParameter(4, version)
                .executeUpdate();
        em.createNativeQuery("update model_version set status = ?3 where family = ?1 and version = ?2")
                .setParameter(1, family).setParameter(2, version).setParameter(3, ACTIVE).executeUpdate();
        return true;
    }

    /** The active version of every family that has one, in one query. */
    @Transactional
    public java.util.Map<String, Integer> activeVersions() {
        List<?> rows = em.createNativeQuery("select family, version from model_version where status = ?1")
                .setParameter(1, ACTIVE).getResultList();
        java.util.Map<String, Integer> active = new java.util.TreeMap<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            active.put((String) r[0], ((Number) r[1]).intValue());
        }
        return active;
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

    @Transactional
    public void saveDriftBaseline(String family, int version, String baseline) {
        em.createNativeQuery("update model_version set drift_baseline = cast(?3 as jsonb) where family = ?1 and version = ?2")
                .setParameter(1, family).setParameter(2, version).setParameter(3, baseline).executeUpdate();
    }

    @Transactional
    public Optional<String> driftBaseline(String family, int version) {
        List<?> rows = em.createNativeQuery(
                "select drift_baseline::text from model_version where family = ?1 and version = ?2 and drift_baseline is not null")
                .setParameter(1, family).setParameter(2, version).getResultList();
        return rows.stream().map(text -> (String) text).findFirst();
    }

    /** Stores (or replaces) a user-given cluster name. */
    @Transactional
    public void renameCluster(String family, int version, int clusterId, String name, Instant now) {
        em.createNativeQuery("""
                insert into cluster_name (family, version, cluster_id, name, updated_at) values (?1, ?2, ?3, ?4, ?5)
                on conflict (family, version, cluster_id) do update set name = excluded.name, updated_at = excluded.updated_at""")
                .setParameter(1, family).setParameter(2, version).setParameter(3, clusterId).setParameter(4, name)
                .setParameter(5, now).executeUpdate();
    }

    /** User-given names of a version's clusters, by public cluster id. */
    @Transactional
    public java.util.Map<Integer, String> clusterNames(String family, int version) {
        List<?> rows = em.createNativeQuery("select cluster_id, name from cluster_name where family = ?1 and version = ?2")
                .setParameter(1, family).setParameter(2, version).getResultList();
        java.util.Map<Integer, String> names = new java.util.HashMap<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            names.put(((Number) r[0]).intValue(), (String) r[1]);
        }
        return names;
    }

    private static ModelVersionRow row(Object[] row) {
        return new ModelVersionRow((String) row[0], ((Number) row[1]).intValue(), (String) row[2],
                Timestamps.instant(row[3]), (String) row[4], (String) row[5], (String) row[6], (String) row[7]);
    }
}
