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

    /** Claims the id inside the caller's transaction; false when it was applied before. */
    public boolean claim(String messageId, Instant processedAt) {
        int inserted = em.createNativeQuery(
                "insert into processed_event (message_id, processed_at) values (?1, ?2) on conflict do nothing")
                .setParameter(1, messageId)
                .setParameter(2, processedAt)
                .executeUpdate();
        return inserted == 1;
    }
}
