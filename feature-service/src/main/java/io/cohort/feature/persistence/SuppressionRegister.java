package io.cohort.feature.persistence;

import io.cohort.contracts.ErasedIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The register of erased subscribers (table {@code erased_subscriber}, hashed ids only), and the lock
 * that orders erasures against event transactions: event transactions hold it shared, an erasure
 * exclusively. So an event transaction either commits before the erasure starts (whose delete then
 * removes what it wrote) or reads the register after the erasure committed (and drops the event):
 * under read committed without the lock, an event read before the erasure's commit could write rows
 * after its delete and bring the subscriber back.
 */
@ApplicationScoped
public class SuppressionRegister {

    /** The advisory lock's key: any constant no other code of this database uses ("cohort-erasure"). */
    private static final long LOCK_KEY = 0x636f686f72744572L;

    private final EntityManager em;

    public SuppressionRegister(EntityManager em) {
        this.em = em;
    }

    /** Inside an event transaction, before reading the register. */
    void holdAgainstErasures() {
        em.createNativeQuery("select pg_advisory_xact_lock_shared(?1)").setParameter(1, LOCK_KEY).getSingleResult();
    }

    /** Inside an erasure transaction, first: waits for event transactions in progress. */
    void holdExclusively() {
        em.createNativeQuery("select pg_advisory_xact_lock(?1)").setParameter(1, LOCK_KEY).getSingleResult();
    }

    /** Registers the erasure; a later erasure of the same subscriber moves erased_at forward. */
    void register(String subscriberId, Instant erasedAt) {
        em.createNativeQuery("""
                insert into erased_subscriber (id_hash, erased_at) values (?1, ?2)
                on conflict (id_hash) do update set erased_at = greatest(erased_subscriber.erased_at, excluded.erased_at)
                """)
                .setParameter(1, ErasedIds.hash(subscriberId))
                .setParameter(2, erasedAt)
                .executeUpdate();
    }

    /** When each of the subscribers that are registered was erased (the others are absent). */
    Map<String, Instant> erasedAt(Collection<String> subscriberIds) {
        Map<String, String> byHash = new LinkedHashMap<>();
        subscriberIds.forEach(id -> byHash.put(ErasedIds.hash(id), id));
        Map<String, Instant> erased = new HashMap<>();
        if (byHash.isEmpty()) {
            return erased;
        }
        Jdbc.query(em, "select id_hash, erased_at from erased_subscriber where id_hash = any(?)",
                (connection, statement) -> statement.setArray(1, Jdbc.texts(connection, byHash.keySet())),
                row -> erased.put(byHash.get(row.getString(1)),
                        row.getObject(2, OffsetDateTime.class).toInstant()));
        return erased;
    }
}
