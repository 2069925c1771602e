package io.cohort.model.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
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

    public FeatureSnapshotRepository(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /** Stores the vector unless an equal or newer version is already stored; true when stored. */
    @Transactional
    public boolean storeIfNewer(String subscriberId, long version, Map<String, Double> features, Instant now) {
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
        return changed == 1;
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
