package io.cohort.ingest.persistence;

import io.cohort.ingest.domain.WriteKeyGrant;
import io.cohort.ingest.domain.WriteKeyKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Write keys by SHA-256; the key itself is never stored. */
@ApplicationScoped
public class WriteKeyRepository {

    private static final String COLUMNS = "id, name, kind, scopes, created_at, revoked_at, last_used_at, rotated_at, "
            + "previous_valid_until, previous_last_used_at";

    private final EntityManager em;

    public WriteKeyRepository(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public void insert(UUID id, String name, WriteKeyGrant grant, String keySha256, Instant createdAt) {
        em.createNativeQuery("insert into write_key (id, name, kind, scopes, key_sha256, created_at) "
                        + "values (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, id)
                .setParameter(2, name)
                .setParameter(3, grant.kind().wireName())
                .setParameter(4, grant.storedScopes())
                .setParameter(5, keySha256)
                .setParameter(6, createdAt)
                .executeUpdate();
    }

    /** Every key, oldest first, without any secret. */
    @Transactional
    public List<StoredWriteKey> list() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select " + COLUMNS + " from write_key order by created_at, id")
                .getResultList();
        return rows.stream().map(WriteKeyRepository::stored).toList();
    }

    /** Marks the key revoked, both secrets (the first revocation time stays); false when there is no such key. */
    @Transactional
    public boolean revoke(UUID id, Instant at) {
        int updated = em.createNativeQuery(
                "update write_key set revoked_at = coalesce(revoked_at, ?2) where id = ?1")
                .setParameter(1, id)
                .setParameter(2, at)
                .executeUpdate();
        return updated == 1;
    }

    /**
     * Gives an active key a new secret; the current one becomes the previous secret, valid until
     * {@code previousValidUntil} (an older previous secret ends now). Empty when there is no active key
     * with this id.
     */
    @Transactional
    public Optional<StoredWriteKey> rotate(UUID id, String newKeySha256, Instant at, Instant previousValidUntil) {
        int updated = em.createNativeQuery("update write_key set previous_key_sha256 = key_sha256, key_sha256 = ?2, "
                        + "rotated_at = ?3, previous_valid_until = ?4, previous_last_used_at = last_used_at, "
                        + "last_used_at = null where id = ?1 and revoked_at is null")
                .setParameter(1, id)
                .setParameter(2, newKeySha256)
                .setParameter(3, at)
                .setParameter(4, previousValidUntil)
                .executeUpdate();
        if (updated == 0) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select " + COLUMNS + " from write_key where id = ?1")
                .setParameter(1, id).getResultList();
        return rows.stream().findFirst().map(WriteKeyRepository::stored);
    }

    /** The kind of the active (not revoked) key with this id. */
    @Transactional
    public Optional<WriteKeyKind> activeKind(UUID id) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery("select kind from write_key where id = ?1 and revoked_at is null")
                .setParameter(1, id).getResultList();
        return rows.stream().findFirst().map(WriteKeyKind::parse);
    }

    /**
     * The active key with this hash, as its current secret or as a previous secret still inside its
     * overlap; empty for an unknown, revoked or expired secret. On every tracking call, by two unique
     * indexes.
     */
    @Transactional
    public Optional<ActiveWriteKey> findActive(String keySha256, Instant now) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, kind, scopes, key_sha256 = ?1 from write_key "
                        + "where revoked_at is null and (key_sha256 = ?1 "
                        + "or (previous_key_sha256 = ?1 and previous_valid_until > ?2))")
                .setParameter(1, keySha256)
                .setParameter(2, now)
                .getResultList();
        return rows.stream().findFirst().map(r -> new ActiveWriteKey((UUID) r[0],
                WriteKeyKind.parse((String) r[1]), WriteKeyGrant.parseScopes((String) r[2]), !(Boolean) r[3]));
    }

    /** Records a last use, never moving it back (another replica may have written a later one). */
    @Transactional
    public void recordUse(UUID id, boolean previousSecret, Instant at) {
        String column = previousSecret ? "previous_last_used_at" : "last_used_at";
        em.createNativeQuery("update write_key set " + column + " = greatest(coalesce(" + column + ", ?2), ?2) "
                        + "where id = ?1")
                .setParameter(1, id)
                .setParameter(2, at)
                .executeUpdate();
    }

    private static StoredWriteKey stored(Object[] r) {
        return new StoredWriteKey((UUID) r[0], (String) r[1], (String) r[2],
                List.copyOf(WriteKeyGrant.parseScopes((String) r[3])), instant(r[4]), instant(r[5]), instant(r[6]),
                instant(r[7]), instant(r[8]), instant(r[9]));
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

    /**
     * A key as the admin API lists it (never a secret). {@code lastUsedAt} is coarse (at most a
     * minute behind); after a rotation {@code previousValidUntil} and {@code previousLastUsedAt} tell
     * whether the old secret is still in use.
     */
    public record StoredWriteKey(UUID id, String name, String kind, List<String> scopes, Instant createdAt,
            Instant revokedAt, Instant lastUsedAt, Instant rotatedAt, Instant previousValidUntil,
            Instant previousLastUsedAt) {
    }

    /** A key that authenticated a request: its id, kind, scopes and whether the previous secret was used. */
    public record ActiveWriteKey(UUID id, WriteKeyKind kind, Set<String> scopes, boolean previousSecret) {
    }
}
