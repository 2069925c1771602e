package io.cohort.feature.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;

/** Reads subscribers in id order for training sets, one bounded page at a time. */
@ApplicationScoped
public class TrainingSetRepository {

    private final EntityManager em;

    public TrainingSetRepository(EntityManager em) {
        this.em = em;
    }

    /** Subscribers first seen before {@code cutoff}, with ids after {@code afterId}, in id order. */
    public List<Candidate> page(Instant cutoff, String afterId, int limit) {
        List<?> rows = em.createNativeQuery("""
                select subscriber_id, first_seen, unsubscribed_at, complained_at, hard_bounced_at from subscriber
                where first_seen < ?1 and subscriber_id > ?2
                order by subscriber_id
                limit ?3
                """)
                .setParameter(1, cutoff)
                .setParameter(2, afterId)
                .setParameter(3, limit)
                .getResultList();
        return rows.stream().map(row -> {
            Object[] c = (Object[]) row;
            return new Candidate((String) c[0], SqlValues.instant(c[1]), SqlValues.instant(c[2]),
                    SqlValues.instant(c[3]), SqlValues.instant(c[4]));
        }).toList();
    }

    /** A subscriber's time-invariant facts: first seen and the earliest suppression events. */
    public record Candidate(String subscriberId, Instant firstSeen, Instant unsubscribedAt, Instant complainedAt,
            Instant hardBouncedAt) {
    }
}
