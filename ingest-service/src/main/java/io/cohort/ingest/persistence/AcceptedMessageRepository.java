package io.cohort.ingest.persistence;

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
 * Remembers which message ids were accepted, so a repeated {@code messageId} is acknowledged but
 * not published again — across restarts and replicas, because the claim is a primary-key insert
 * in the shared database.
 */
@ApplicationScoped
public class AcceptedMessageRepository {

    private final EntityManager em;
    private final DataSource dataSource;

    public AcceptedMessageRepository(EntityManager em, DataSource dataSource) {
        this.em = em;
        this.dataSource = dataSource;
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
     * Claims many ids with one set-based statement inside the caller's transaction; returns the ids
     * that were new (each at most once, even if repeated in {@code messageIds}).
     *
     * <p>Plain JDBC on the transaction's connection (Agroal hands the connection enlisted in the
     * current JTA transaction to every caller, Hibernate included), so a batch of tracking calls
     * does not open a Hibernate session just to run one statement; the instant is bound as text
     * and cast, which pgjdbc encodes far more cheaply than a date-time object.
     */
    public Set<String> claimAll(Collection<String> messageIds, Instant acceptedAt) {
        if (messageIds.isEmpty()) {
            return Set.of();
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into accepted_message (message_id, accepted_at)
                        select distinct unnest(?), ?::timestamptz on conflict do nothing returning message_id""")) {
            insert.setArray(1, connection.createArrayOf("varchar", messageIds.toArray()));
            insert.setString(2, acceptedAt.toString());
            Set<String> claimed = new HashSet<>(messageIds.size() * 2);
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    claimed.add(rows.getString(1));
                }
            }
            return claimed;
        } catch (SQLException e) {
            throw new IllegalStateException("claiming message ids failed: " + e.getSQLState(), e);
        }
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
