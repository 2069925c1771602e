package io.cohort.feature.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.FeatureVector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The subscriber profile row: when they were seen, their last human open, and their current vector. */
@ApplicationScoped
public class SubscriberRepository {

    private static final TypeReference<Map<String, Double>> FEATURES = new TypeReference<>() {
    };

    private final EntityManager em;
    private final ObjectMapper json;

    public SubscriberRepository(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /**
     * Creates the subscriber or widens their first/last seen to include {@code occurredAt}. The
     * upsert also locks the row until the transaction ends, so two events of one subscriber
     * cannot interleave their version bumps.
     */
    public void markSeen(String subscriberId, Instant occurredAt) {
        em.createNativeQuery("""
                insert into subscriber (subscriber_id, first_seen, last_seen) values (?1, ?2, ?2)
                on conflict (subscriber_id) do update set
                    first_seen = least(subscriber.first_seen, excluded.first_seen),
                    last_seen = greatest(subscriber.last_seen, excluded.last_seen)
                """)
                .setParameter(1, subscriberId)
                .setParameter(2, occurredAt)
                .executeUpdate();
    }

    /** Keeps the latest human open; an older open arriving late does not move it back. */
    public void markOpened(String subscriberId, Instant openedAt) {
        em.createNativeQuery("""
                update subscriber set last_open_at = greatest(last_open_at, ?2) where subscriber_id = ?1
                """)
                .setParameter(1, subscriberId)
                .setParameter(2, openedAt)
                .executeUpdate();
    }

    /** The profile state the calculator needs; empty for an unknown subscriber. */
    public Optional<Profile> profile(String subscriberId) {
        List<?> rows = em.createNativeQuery("select last_open_at, version from subscriber where subscriber_id = ?1")
                .setParameter(1, subscriberId)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] columns = (Object[]) rows.get(0);
        return Optional.of(new Profile(SqlValues.instant(columns[0]), ((Number) columns[1]).longValue()));
    }

    /** Stores a newly computed vector (its version must be the previous one plus one). */
    public void storeVector(FeatureVector vector) {
        em.createNativeQuery("""
                update subscriber set version = ?2, computed_at = ?3, features = cast(?4 as jsonb)
                where subscriber_id = ?1
                """)
                .setParameter(1, vector.subscriberId())
                .setParameter(2, vector.version())
                .setParameter(3, vector.computedAt())
                .setParameter(4, write(vector.features()))
                .executeUpdate();
    }

    /** The vector as last computed; empty when the subscriber is unknown or has none yet. */
    public Optional<FeatureVector> currentVector(String subscriberId) {
        List<?> rows = em.createNativeQuery("""
                select version, computed_at, cast(features as text) from subscriber
                where subscriber_id = ?1 and features is not null
                """)
                .setParameter(1, subscriberId)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] columns = (Object[]) rows.get(0);
        return Optional.of(new FeatureVector(FeatureVector.SCHEMA_VERSION, subscriberId,
                ((Number) columns[0]).longValue(), SqlValues.instant(columns[1]), read((String) columns[2])));
    }

    /** Deletes the subscriber and (by cascade) their daily aggregates; false when there was nothing. */
    public boolean delete(String subscriberId) {
        return em.createNativeQuery("delete from subscriber where subscriber_id = ?1")
                .setParameter(1, subscriberId)
                .executeUpdate() > 0;
    }

    private String write(Map<String, Double> features) {
        try {
            return json.writeValueAsString(features);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("feature map is not serialisable", e);
        }
    }

    private Map<String, Double> read(String features) {
        try {
            return json.readValue(features, FEATURES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored features are not readable", e);
        }
    }

    /** What the calculator needs from the profile row. */
    public record Profile(Instant lastOpenAt, long version) {
    }
}
