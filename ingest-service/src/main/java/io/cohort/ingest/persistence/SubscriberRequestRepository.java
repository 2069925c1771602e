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

    public static final String PENDING = "pending";
    public static final String PUBLISHED = "published";
    /** A consent request still pending when its subscriber was erased. */
    public static final String SUPERSEDED = "superseded";

    private final EntityManager em;

    public SubscriberRequestRepository(EntityManager em) {
        this.em = em;
    }

    /** Records a request as pending; {@code payload} is what to publish for it, when the row alone is not enough. */
    public void insertPending(UUID id, String kind, String subscriberId, Instant requestedAt, String payload) {
        em.createNativeQuery("""
                insert into subscriber_request (id, kind, subscriber_id, status, requested_at, payload)
                values (?1, ?2, ?3, ?4, ?5, ?6)""")
                .setParameter(1, id).setParameter(2, kind).setParameter(3, subscriberId).setParameter(4, PENDING)
                .setParameter(5, requestedAt).setParameter(6, payload).executeUpdate();
    }

    /**
     * The request if it is still pending, row-locked until the caller's transaction ends; empty when
     * it is published already or another transaction (a replica's retry) holds it right now.
     */
    public Optional<Pending> lockPending(UUID id) {
        List<?> rows = em.createNativeQuery("""
                select kind, subscriber_id, requested_at, payload from subscriber_request
                where id = ?1 and status = 'pending' for update skip locked""")
                .setParameter(1, id).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new Pending(id, (String) r[0], (String) r[1], instant(r[2]), (String) r[3]));
    }

    /** Marks the request published; a published erasure no longer needs the id it erased, so it is dropped. */
    public void markPublished(UUID id, Instant publishedAt) {
        em.createNativeQuery("""
                update subscriber_request set status = ?2, published_at = ?3, payload = null,
                    subscriber_id = case when kind = 'erasure' then null else subscriber_id end
                where id = ?1""")
                .setParameter(1, id).setParameter(2, PUBLISHED).setParameter(3, publishedAt).executeUpdate();
    }

    /**
     * Erasure: the subscriber's earlier requests forget the id; a consent still pending is
     * superseded (never published: the erasure wins).
     */
    public int forgetSubscriber(String subscriberId) {
        return em.createNativeQuery("""
                update subscriber_request set subscriber_id = null, payload = null,
                    status = case when status = ?2 then ?3 else status end
                where subscriber_id = ?1""")
                .setParameter(1, subscriberId).setParameter(2, PENDING).setParameter(3, SUPERSEDED).executeUpdate();
    }

    public long pendingCount() {
        return ((Number) em.createNativeQuery("select count(*) from subscriber_request where status = 'pending'")
                .getSingleResult()).longValue();
    }

    /** Oldest first, at most {@code limit} requests still pending that were made before the cutoff. */
    public List<UUID> pendingBefore(Instant cutoff, int limit) {
        return em.createNativeQuery("""
                select id from subscriber_request where status = 'pending' and requested_at < ?1
                order by requested_at limit ?2""")
                .setParameter(1, cutoff).setParameter(2, limit).getResultList().stream().map(UUID.class::cast).toList();
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

    /** A pending request as the outbox needs it to publish. */
    public record Pending(UUID id, String kind, String subscriberId, Instant requestedAt, String payload) {
    }

    public record Row(UUID id, String kind, String subscriberId, String status, Instant requestedAt,
            Instant publishedAt) {
    }
}
