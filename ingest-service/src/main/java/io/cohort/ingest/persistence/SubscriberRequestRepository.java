package io.cohort.ingest.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Consent and erasure requests and their status. */
@ApplicationScoped
public class SubscriberRequestRepository {

    public static final String PUBLISHED = "published";

    private final EntityManager em;

    public SubscriberRequestRepository(EntityManager em) {
        this.em = em;
    }

    public void insert(UUID id, String kind, String subscriberId, String status, Instant requestedAt, Instant publishedAt) {
        em.createNativeQuery("""
                insert into subscriber_request (id, kind, subscriber_id, status, requested_at, published_at)
                values (?1, ?2, ?3, ?4, ?5, ?6)""")
                .setParameter(1, id).setParameter(2, kind).setParameter(3, subscriberId).setParameter(4, status)
                .setParameter(5, requestedAt).setParameter(6, publishedAt).executeUpdate();
    }

    public Optional<Row> find(UUID id) {
        List<?> rows = em.createNativeQuery("""
                select id, kind, subscriber_id, status, requested_at, published_at from subscriber_request where id = ?1""")
                .setParameter(1, id).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new Row((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], instant(r[4]), instant(r[5])));
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

    public record Row(UUID id, String kind, String subscriberId, String status, Instant requestedAt,
            Instant publishedAt) {
    }
}
