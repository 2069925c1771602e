package io.cohort.ingest.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Write keys by SHA-256; the key itself is never stored. */
@ApplicationScoped
public class WriteKeyRepository {

    private final EntityManager em;

    public WriteKeyRepository(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public void insert(UUID id, String name, String keySha256, Instant createdAt) {
        em.createNativeQuery("insert into write_key (id, name, key_sha256, created_at) values (?1, ?2, ?3, ?4)")
                .setParameter(1, id)
                .setParameter(2, name)
                .setParameter(3, keySha256)
                .setParameter(4, createdAt)
                .executeUpdate();
    }

    /** Every key, oldest first, without any secret. */
    @Transactional
    public List<StoredWriteKey> list() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                "select id, name, created_at, revoked_at from write_key order by created_at, id").getResultList();
        return rows.stream().map(r -> new StoredWriteKey((UUID) r[0], (String) r[1], instant(r[2]), instant(r[3])))
                .toList();
    }

    /** Marks the key revoked (the first revocation time stays); false when there is no such key. */
    @Transactional
    public boolean revoke(UUID id, Instant at) {
        int updated = em.createNativeQuery(
                "update write_key set revoked_at = coalesce(revoked_at, ?2) where id = ?1")
                .setParameter(1, id)
                .setParameter(2, at)
                .executeUpdate();
        return updated == 1;
    }

    /** Whether a key with this hash exists and is not revoked. */
    @Transactional
    public boolean isActive(String keySha256) {
        return !em.createNativeQuery("select 1 from write_key where key_sha256 = ?1 and revoked_at is null")
                .setParameter(1, keySha256)
                .getResultList().isEmpty();
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
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }

    public record StoredWriteKey(UUID id, String name, Instant createdAt, Instant revokedAt) {
    }
}
