package io.cohort.feature.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;

/** Remembers applied message ids; the claim is a primary-key insert, so it holds across replicas and restarts. */
@ApplicationScoped
public class ProcessedEventRepository {

    private final EntityManager em;

    public ProcessedEventRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Forgets up to {@code limit} message ids applied before {@code before} (the dedup window has
     * passed for them: the events topic keeps 30 days, the window is longer); returns how many.
     */
    @jakarta.transaction.Transactional
    public int purgeBefore(Instant before, int limit) {
        return Jdbc.deleteOlderThan(em, "processed_event", "processed_at", before, limit);
    }

    /** Claims the id inside the caller's transaction; false when it was applied before. */
    public boolean claim(String messageId, Instant processedAt) {
        int inserted = em.createNativeQuery(
                "insert into processed_event (message_id, processed_at) values (?1, ?2) on conflict do nothing")
                .setParameter(1, messageId)
                .setParameter(2, processedAt)
                .executeUpdate();
        return inserted == 1;
    }

    /** Claims many ids with one statement; returns the ids that were new (applied for the first time). */
    public java.util.Set<String> claimAll(java.util.Collection<String> messageIds, Instant processedAt) {
        java.util.Set<String> claimed = new java.util.HashSet<>();
        if (messageIds.isEmpty()) {
            return claimed;
        }
        em.unwrap(org.hibernate.Session.class).doWork(connection -> {
            try (java.sql.PreparedStatement statement = connection.prepareStatement("""
                    insert into processed_event (message_id, processed_at)
                    select distinct unnest(?), ? on conflict do nothing returning message_id
                    """)) {
                statement.setArray(1, connection.createArrayOf("text", messageIds.toArray(new String[0])));
                statement.setObject(2, java.time.OffsetDateTime.ofInstant(processedAt, java.time.ZoneOffset.UTC));
                try (java.sql.ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        claimed.add(rows.getString(1));
                    }
                }
            }
        });
        return claimed;
    }
}
