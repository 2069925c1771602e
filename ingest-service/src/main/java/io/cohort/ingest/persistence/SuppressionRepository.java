package io.cohort.ingest.persistence;

import io.cohort.contracts.ErasedIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The suppression register: erased subscribers by {@link ErasedIds#hash}, with when they were
 * erased. Methods run in the caller's transaction and take and return ids, hashing them here, so
 * no id is ever stored.
 */
@ApplicationScoped
public class SuppressionRepository {

    private final EntityManager em;
    private final DataSource dataSource;

    public SuppressionRepository(EntityManager em, DataSource dataSource) {
        this.em = em;
        this.dataSource = dataSource;
    }

    /** Registers the erasure (a repeated erasure moves erased_at to the latest). */
    public void suppress(String subscriberId, Instant erasedAt) {
        em.createNativeQuery("""
                insert into erased_subscriber (id_hash, erased_at) values (?1, ?2)
                on conflict (id_hash) do update set erased_at = greatest(erased_subscriber.erased_at, excluded.erased_at)""")
                .setParameter(1, ErasedIds.hash(subscriberId)).setParameter(2, erasedAt).executeUpdate();
    }

    /** Removes the entry; false when the id was not suppressed. */
    public boolean unsuppress(String subscriberId) {
        return em.createNativeQuery("delete from erased_subscriber where id_hash = ?1")
                .setParameter(1, ErasedIds.hash(subscriberId)).executeUpdate() > 0;
    }

    public boolean isSuppressed(String subscriberId) {
        return !suppressedAmong(Set.of(subscriberId)).isEmpty();
    }

    /**
     * The ids among {@code ids} that are suppressed, with one statement (plain JDBC on the
     * transaction's connection, like {@link AcceptedMessageRepository#claimAll}).
     */
    public Set<String> suppressedAmong(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        java.util.Map<String, String> byHash = new java.util.HashMap<>(ids.size() * 2);
        for (String id : ids) {
            byHash.put(ErasedIds.hash(id), id);
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select id_hash from erased_subscriber where id_hash = any(?)")) {
            select.setArray(1, connection.createArrayOf("bpchar", byHash.keySet().toArray()));
            Set<String> suppressed = new HashSet<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    suppressed.add(byHash.get(rows.getString(1)));
                }
            }
            return suppressed;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the suppression register failed: " + e.getSQLState(), e);
        }
    }
}
