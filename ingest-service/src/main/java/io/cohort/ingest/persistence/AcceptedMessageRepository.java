package io.cohort.ingest.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;

/**
 * Remembers which message ids were accepted, so a repeated {@code messageId} is acknowledged but
 * not published again — across restarts and replicas, because the claim is a primary-key insert
 * in the shared database.
 */
@ApplicationScoped
public class AcceptedMessageRepository {

    private final EntityManager em;

    public AcceptedMessageRepository(EntityManager em) {
        this.em = em;
    }

    /** Claims the id inside the caller's transaction; false when it was accepted before. */
    public boolean claim(String messageId, Instant acceptedAt) {
        int inserted = em.createNativeQuery(
                "insert into accepted_message (message_id, accepted_at) values (?1, ?2) on conflict do nothing")
                .setParameter(1, messageId)
                .setParameter(2, acceptedAt)
                .executeUpdate();
        return inserted == 1;
    }

    /**
     * Claims many ids with one statement inside the caller's transaction; returns the ids that were
     * new (each at most once, even if repeated in {@code messageIds}).
     */
    public java.util.Set<String> claimAll(java.util.Collection<String> messageIds, Instant acceptedAt) {
        if (messageIds.isEmpty()) {
            return java.util.Set.of();
        }
        return em.unwrap(org.hibernate.Session.class).doReturningWork(connection -> {
            java.util.Set<String> claimed = new java.util.HashSet<>();
            try (java.sql.PreparedStatement insert = connection.prepareStatement("""
                    insert into accepted_message (message_id, accepted_at)
                    select distinct unnest(?), ? on conflict do nothing returning message_id""")) {
                insert.setArray(1, connection.createArrayOf("varchar", messageIds.toArray()));
                insert.setObject(2, java.time.OffsetDateTime.ofInstant(acceptedAt, java.time.ZoneOffset.UTC));
                try (java.sql.ResultSet rows = insert.executeQuery()) {
                    while (rows.next()) {
                        claimed.add(rows.getString(1));
                    }
                }
            }
            return claimed;
        });
    }

    /**
     * Deletes at most {@code limit} ids accepted before {@code cutoff}, oldest first, inside the
     * caller's transaction (the index on accepted_at keeps this a range scan); returns how many went.
     */
    public int deleteAcceptedBefore(Instant cutoff, int limit) {
        return em.createNativeQuery("""
                delete from accepted_message where message_id in (
                    select message_id from accepted_message where accepted_at < ?1
                    order by accepted_at limit ?2)""")
                .setParameter(1, cutoff)
                .setParameter(2, limit)
                .executeUpdate();
    }

    /** Whether the id is currently remembered. */
    public boolean isClaimed(String messageId) {
        return !em.createNativeQuery("select 1 from accepted_message where message_id = ?1")
                .setParameter(1, messageId)
                .getResultList().isEmpty();
    }
}
