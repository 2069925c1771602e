package io.cohort.feature.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.FeatureVector;
import io.cohort.feature.domain.ProfileSignals;
import io.cohort.feature.domain.SubscriberState;
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
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
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

    /** Keeps the latest moment of each kind; an older event arriving late does not move it back. */
    public void applyProfile(String subscriberId, ProfileSignals.Change change, Instant occurredAt) {
        if (change.clicked()) {
            update(subscriberId, "last_click_at = greatest(last_click_at, ?2)", occurredAt);
        }
        if (change.ordered()) {
            update(subscriberId, "last_order_at = greatest(last_order_at, ?2)", occurredAt);
        }
        // suppression remembers when it first happened (least ignores nulls)
        if (change.unsubscribed()) {
            update(subscriberId, "unsubscribed_at = least(unsubscribed_at, ?2)", occurredAt);
        }
        if (change.complained()) {
            update(subscriberId, "complained_at = least(complained_at, ?2)", occurredAt);
        }
        if (change.hardBounced()) {
            update(subscriberId, "hard_bounced_at = least(hard_bounced_at, ?2)", occurredAt);
        }
        if (change.timezone() != null) {
            update(subscriberId, "timezone = ?2", change.timezone());
        }
        if (change.accountId() != null) {
            update(subscriberId, "account_id = ?2", change.accountId());
        }
        if (change.traits() != null) {
            update(subscriberId, "traits = coalesce(traits, '{}'::jsonb) || cast(?2 as jsonb)", write(change.traits()));
        }
        if (change.consent() != null) {
            em.createNativeQuery("""
                    insert into consent (subscriber_id, channel, granted, updated_at) values (?1, ?2, ?3, ?4)
                    on conflict (subscriber_id, channel) do update set granted = excluded.granted,
                        updated_at = excluded.updated_at
                    where consent.updated_at <= excluded.updated_at
                    """)
                    .setParameter(1, subscriberId)
                    .setParameter(2, change.consent().channel())
                    .setParameter(3, change.consent().granted())
                    .setParameter(4, occurredAt)
                    .executeUpdate();
        }
    }

    private void update(String subscriberId, String assignment, Object value) {
        em.createNativeQuery("update subscriber set " + assignment + " where subscriber_id = ?1")
                .setParameter(1, subscriberId)
                .setParameter(2, value)
                .executeUpdate();
    }

    /** The profile facts the calculator needs and the stored vector; empty for an unknown subscriber. */
    public Optional<Stored> stored(String subscriberId) {
        List<?> rows = em.createNativeQuery("""
                select s.first_seen, s.last_open_at, s.last_click_at, s.last_order_at, s.unsubscribed_at,
                    s.complained_at, s.hard_bounced_at,
                    coalesce((select c.granted from consent c where c.subscriber_id = s.subscriber_id
                        and c.channel = 'email'), true),
                    s.version, s.computed_at, cast(s.features as text)
                from subscriber s where s.subscriber_id = ?1
                """)
                .setParameter(1, subscriberId)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] c = (Object[]) rows.get(0);
        SubscriberState state = new SubscriberState(SqlValues.instant(c[0]), SqlValues.instant(c[1]),
                SqlValues.instant(c[2]), SqlValues.instant(c[3]), c[4] != null, c[5] != null, c[6] != null,
                (Boolean) c[7]);
        return Optional.of(new Stored(state, ((Number) c[8]).longValue(), SqlValues.instant(c[9]),
                c[10] == null ? null : read((String) c[10])));
    }

    /** The profile as served by the API; empty for an unknown subscriber. */
    public Optional<ProfileView> profileView(String subscriberId) {
        List<?> rows = em.createNativeQuery("""
                select cast(traits as text), timezone, account_id, first_seen, last_seen, unsubscribed_at,
                    complained_at, hard_bounced_at
                from subscriber where subscriber_id = ?1
                """)
                .setParameter(1, subscriberId)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] c = (Object[]) rows.get(0);
        List<?> consentRows = em.createNativeQuery(
                "select channel, granted, updated_at from consent where subscriber_id = ?1 order by channel")
                .setParameter(1, subscriberId)
                .getResultList();
        Map<String, ConsentView> consent = new java.util.LinkedHashMap<>();
        for (Object row : consentRows) {
            Object[] r = (Object[]) row;
            consent.put((String) r[0], new ConsentView((Boolean) r[1], SqlValues.instant(r[2])));
        }
        return Optional.of(new ProfileView(subscriberId, c[0] == null ? Map.of() : readObject((String) c[0]),
                (String) c[1], (String) c[2], SqlValues.instant(c[3]), SqlValues.instant(c[4]),
                SqlValues.instant(c[5]), SqlValues.instant(c[6]), SqlValues.instant(c[7]), consent));
    }

    /**
     * Claims up to {@code limit} subscribers whose vector is not known current for {@code today},
     * locking their rows for the caller's transaction; rows another replica holds are skipped, so
     * concurrent sweeps share the work.
     */
    public List<String> claimStale(java.time.LocalDate today, int limit) {
        return em.createNativeQuery("""
                select subscriber_id from subscriber
                where features is not null and (fresh_through is null or fresh_through < ?1)
                order by fresh_through nulls first
                limit ?2
                for update skip locked
                """)
                .setParameter(1, today)
                .setParameter(2, limit)
                .getResultList().stream().map(String.class::cast).toList();
    }

    /** Records that the stored vector is current for {@code day}. */
    public void markFresh(String subscriberId, java.time.LocalDate day) {
        em.createNativeQuery("""
                update subscriber set fresh_through = greatest(fresh_through, ?2) where subscriber_id = ?1
                """)
                .setParameter(1, subscriberId)
                .setParameter(2, day)
                .executeUpdate();
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

    private Map<String, Double> read(String features) {
        try {
            return json.readValue(features, FEATURES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored features are not readable", e);
        }
    }

    private Map<String, Object> readObject(String value) {
        try {
            return json.readValue(value, OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored traits are not readable", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("value is not serialisable", e);
        }
    }

    /** The calculator's inputs from the profile row and the vector as last stored (features null: none yet). */
    public record Stored(SubscriberState state, long version, Instant computedAt, Map<String, Double> features) {
    }

    /** One channel's consent. */
    public record ConsentView(boolean granted, Instant updatedAt) {
    }

    /** The stored profile. Suppression moments are null when never set. */
    public record ProfileView(String subscriberId, Map<String, Object> traits, String timezone, String accountId,
            Instant firstSeen, Instant lastSeen, Instant unsubscribedAt, Instant complainedAt, Instant hardBouncedAt,
            Map<String, ConsentView> consent) {
    }
}
