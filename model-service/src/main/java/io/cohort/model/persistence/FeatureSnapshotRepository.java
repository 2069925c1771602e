package io.cohort.model.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.ErasedIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Feature snapshots: the latest vector per subscriber, replaced only by a higher version. */
@ApplicationScoped
public class FeatureSnapshotRepository {

    private static final TypeReference<Map<String, Double>> FEATURES = new TypeReference<>() {
    };

    private final EntityManager em;
    private final ObjectMapper json;

    private final String lockTimeout;

    public FeatureSnapshotRepository(EntityManager em, ObjectMapper json,
            @ConfigProperty(name = "cohort.model.erasure.lock-timeout", defaultValue = "PT10S") Duration lockTimeout) {
        this.em = em;
        this.json = json;
        this.lockTimeout = lockTimeout.toMillis() + "ms";
    }

    /**
     * What became of a vector offered to {@link #storeIfNewer}: stored; already stored (the same
     * version: a redelivery, possibly after a crash before its score was published); stale (older
     * than the stored one); suppressed (erased subscriber).
     */
    public enum Stored { STORED, CURRENT, STALE, SUPPRESSED }

    /**
     * Stores the vector unless an equal or newer version is already stored, or the subscriber was
     * erased at or after {@code computedAt} (null: whenever) — in-flight data from before an erasure
     * must not bring the subscriber back. Runs under the subscriber's erasure lock (see {@link #lock}).
     */
    @Transactional
    public Stored storeIfNewer(String subscriberId, long version, Instant computedAt, Map<String, Double> features,
            Instant now) {
        String hash = ErasedIds.hash(subscriberId);
        lock(hash);
        // a vector without computedAt (written before it existed) cannot be placed: an erased id drops it
        jakarta.persistence.Query register = computedAt == null
                ? em.createNativeQuery("select 1 from erased_subscriber where id_hash = ?1")
                : em.createNativeQuery("select 1 from erased_subscriber where id_hash = ?1 and erased_at >= ?2")
                        .setParameter(2, computedAt);
        boolean suppressed = !register.setParameter(1, hash).getResultList().isEmpty();
        if (suppressed) {
            return Stored.SUPPRESSED;
        }
        int changed = em.createNativeQuery("""
                insert into feature_snapshot (subscriber_id, version, features, updated_at)
                values (?1, ?2, cast(?3 as jsonb), ?4)
                on conflict (subscriber_id) do update
                    set version = excluded.version, features = excluded.features, updated_at = excluded.updated_at
                    where feature_snapshot.version < excluded.version""")
                .setParameter(1, subscriberId)
                .setParameter(2, version)
                .setParameter(3, write(features))
                .setParameter(4, now)
                .executeUpdate();
        if (changed == 1) {
            return Stored.STORED;
        }
        Object stored = em.createNativeQuery("select version from feature_snapshot where subscriber_id = ?1")
                .setParameter(1, subscriberId).getSingleResult();
        return ((Number) stored).longValue() == version ? Stored.CURRENT : Stored.STALE;
    }

    /** A vector offered to {@link #storeAllIfNewer}. */
    public record Offered(String subscriberId, long version, Instant computedAt, Map<String, Double> features) {
    }

    /**
     * {@link #storeIfNewer} for a whole poll in one transaction: the subscribers' erasure locks (in
     * hash order, so two batches never wait on each other in a cycle), one read of the suppression
     * register, one multi-row upsert that replaces only older versions, one read of the versions it
     * left alone. The subscriber ids must be distinct (the caller keeps each one's newest vector:
     * one statement cannot write a row twice). Returns each subscriber's outcome.
     */
    @Transactional
    public Map<String, Stored> storeAllIfNewer(List<Offered> vectors, Instant now) {
        Map<String, Stored> outcomes = new java.util.HashMap<>();
        if (vectors.isEmpty()) {
            return outcomes;
        }
        Map<String, String> hashes = new java.util.HashMap<>();
        vectors.forEach(v -> hashes.put(v.subscriberId(), ErasedIds.hash(v.subscriberId())));
        List<String> locks = hashes.values().stream().sorted().distinct().toList();
        lockAll(locks);
        Map<String, Instant> erasedAt = new java.util.HashMap<>();
        SetStatements.query(em, "select id_hash, erased_at from erased_subscriber where id_hash = any(?)",
                (c, s) -> s.setArray(1, SetStatements.texts(c, locks)),
                row -> erasedAt.put(row.getString(1), row.getObject(2, java.time.OffsetDateTime.class).toInstant()));
        List<Offered> kept = new java.util.ArrayList<>(vectors.size());
        for (Offered vector : vectors) {
            Instant erased = erasedAt.get(hashes.get(vector.subscriberId()));
            // as storeIfNewer: a vector without computedAt cannot be placed, an erased id drops it
            if (erased != null && (vector.computedAt() == null || !erased.isBefore(vector.computedAt()))) {
                outcomes.put(vector.subscriberId(), Stored.SUPPRESSED);
            } else {
                kept.add(vector);
            }
        }
        if (kept.isEmpty()) {
            return outcomes;
        }
        List<String> ids = kept.stream().map(Offered::subscriberId).toList();
        SetStatements.query(em, """
                insert into feature_snapshot (subscriber_id, version, features, updated_at)
                select t.id, t.version, cast(t.features as jsonb), ? from unnest(?, ?, ?) as t (id, version, features)
                on conflict (subscriber_id) do update
                    set version = excluded.version, features = excluded.features, updated_at = excluded.updated_at
                    where feature_snapshot.version < excluded.version
                returning subscriber_id""", (c, s) -> {
            s.setObject(1, SetStatements.timestamptz(now));
            s.setArray(2, SetStatements.texts(c, ids));
            s.setArray(3, SetStatements.bigints(c, kept.stream().map(Offered::version).toList()));
            s.setArray(4, SetStatements.texts(c, kept.stream().map(v -> write(v.features())).toList()));
        }, row -> outcomes.put(row.getString(1), Stored.STORED));
        List<String> untouched = ids.stream().filter(id -> !outcomes.containsKey(id)).toList();
        if (!untouched.isEmpty()) {
            Map<String, Long> offered = new java.util.HashMap<>();
            kept.forEach(v -> offered.put(v.subscriberId(), v.version()));
            SetStatements.query(em, "select subscriber_id, version from feature_snapshot where subscriber_id = any(?)",
                    (c, s) -> s.setArray(1, SetStatements.texts(c, untouched)),
                    row -> outcomes.put(row.getString(1),
                            row.getLong(2) == offered.get(row.getString(1)) ? Stored.CURRENT : Stored.STALE));
        }
        return outcomes;
    }

    /** Stores the vector unless an equal or newer version is already stored; true when stored. */
    public boolean storeIfNewer(String subscriberId, long version, Map<String, Double> features, Instant now) {
        return storeIfNewer(subscriberId, version, now, features, now) == Stored.STORED;
    }

    /**
     * Erasure request: registers the subscriber's hash as erased at {@code erasedAt} (the later time
     * wins) and forgets everything held about it, in one transaction under its erasure lock.
     */
    @Transactional
    public void suppressAndErase(String subscriberId, Instant erasedAt) {
        String hash = ErasedIds.hash(subscriberId);
        lock(hash);
        em.createNativeQuery("""
                insert into erased_subscriber (id_hash, erased_at) values (?1, ?2)
                on conflict (id_hash) do update set erased_at = greatest(erased_subscriber.erased_at, excluded.erased_at)""")
                .setParameter(1, hash)
                .setParameter(2, erasedAt)
                .executeUpdate();
        erase(subscriberId);
    }

    /** Forgets the subscriber: snapshot and last published score. */
    @Transactional
    public void erase(String subscriberId) {
        em.createNativeQuery("delete from subscriber_score where subscriber_id = ?1")
                .setParameter(1, subscriberId).executeUpdate();
        em.createNativeQuery("delete from served_prediction where subscriber_id = ?1")
                .setParameter(1, subscriberId).executeUpdate();
        em.createNativeQuery("delete from feature_snapshot where subscriber_id = ?1")
                .setParameter(1, subscriberId).executeUpdate();
    }

    /**
     * Serialises a vector's check-and-store with an erasure of the same subscriber, across replicas
     * (the two topics may be consumed by different processes): without it a vector could pass the
     * register check, the erasure commit, and the vector's insert then bring the subscriber back.
     */
    private void lock(String hash) {
        // a wait past lock-timeout fails with 55P03, a transient failure: the consumer retries the record
        em.createNativeQuery("select set_config('lock_timeout', ?1, true)").setParameter(1, lockTimeout)
                .getSingleResult();
        em.createNativeQuery("select count(*) from (select pg_advisory_xact_lock(hashtextextended(?1, 0))) as locked")
                .setParameter(1, hash).getSingleResult();
    }

    /** {@link #lock} for many subscribers, given their sorted hashes, with one statement. */
    private void lockAll(List<String> sortedHashes) {
        em.createNativeQuery("select set_config('lock_timeout', ?1, true)").setParameter(1, lockTimeout)
                .getSingleResult();
        // unnest yields the array in order, so the locks are taken in hash order
        SetStatements.query(em,
                "select count(*) from (select pg_advisory_xact_lock(hashtextextended(h, 0)) from unnest(?) as h) as locked",
                (c, s) -> s.setArray(1, SetStatements.texts(c, sortedHashes)), row -> {
                });
    }

    /** Those of {@code subscriberIds} that have no snapshot (any more). */
    @Transactional
    public List<String> missing(List<String> subscriberIds) {
        if (subscriberIds.isEmpty()) {
            return List.of();
        }
        java.util.Set<String> present = new java.util.HashSet<>();
        for (Object id : em.createNativeQuery("select subscriber_id from feature_snapshot where subscriber_id in (:ids)")
                .setParameter("ids", subscriberIds).getResultList()) {
            present.add((String) id);
        }
        return subscriberIds.stream().filter(id -> !present.contains(id)).toList();
    }

    /** Whether the subscriber is in the suppression register (tests and diagnostics). */
    @Transactional
    public boolean isSuppressed(String subscriberId) {
        return !em.createNativeQuery("select 1 from erased_subscriber where id_hash = ?1")
                .setParameter(1, ErasedIds.hash(subscriberId)).getResultList().isEmpty();
    }

    @Transactional
    public Optional<FeatureSnapshot> find(String subscriberId) {
        List<?> rows = em.createNativeQuery(
                "select subscriber_id, version, features::text from feature_snapshot where subscriber_id = ?1")
                .setParameter(1, subscriberId)
                .getResultList();
        return rows.stream().map(row -> snapshot((Object[]) row)).findFirst();
    }

    /** Snapshots in subscriber id order after {@code afterId} (exclusive; null starts at the beginning). */
    @Transactional
    public List<FeatureSnapshot> page(String afterId, int limit) {
        List<?> rows = em.createNativeQuery("""
                select subscriber_id, version, features::text from feature_snapshot
                where subscriber_id > ?1
                order by subscriber_id limit ?2""")
                .setParameter(1, afterId == null ? "" : afterId)
                .setParameter(2, limit)
                .getResultList();
        return rows.stream().map(row -> snapshot((Object[]) row)).toList();
    }

    @Transactional
    public long count() {
        return ((Number) em.createNativeQuery("select count(*) from feature_snapshot").getSingleResult()).longValue();
    }

    private FeatureSnapshot snapshot(Object[] row) {
        try {
            return new FeatureSnapshot((String) row[0], ((Number) row[1]).longValue(),
                    json.readValue((String) row[2], FEATURES));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored features are not readable", e);
        }
    }

    private String write(Map<String, Double> features) {
        try {
            return json.writeValueAsString(features);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("features are not writable as JSON", e);
        }
    }
}
