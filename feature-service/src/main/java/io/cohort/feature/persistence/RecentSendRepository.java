package io.cohort.feature.persistence;

import io.cohort.feature.domain.EventSignals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;

/**
 * The newest sends of each subscriber and whether each was engaged with, bounded: the newest
 * {@link #KEEP_SENDS} sends and the newest {@link #KEEP_ORPHANS} engagements whose send is unknown.
 * Every write is idempotent, so a replayed event changes nothing.
 */
@ApplicationScoped
public class RecentSendRepository {

    public static final int KEEP_SENDS = 5;
    public static final int KEEP_ORPHANS = 10;

    private final EntityManager em;

    public RecentSendRepository(EntityManager em) {
        this.em = em;
    }

    public void record(String subscriberId, EventSignals.SendSignal signal, Instant occurredAt) {
        upsert(subscriberId, signal, occurredAt);
        prune(subscriberId);
    }

    /** One send or engagement to upsert with {@link #upsertAll}. */
    public record Pending(String subscriberId, EventSignals.SendSignal signal, Instant at) {
    }

    /** {@link #upsert} for many rows with two JDBC batches (sends, engagements); order does not matter. */
    public void upsertAll(List<Pending> rows) {
        if (rows.isEmpty()) {
            return;
        }
        em.unwrap(org.hibernate.Session.class).doWork(connection -> {
            try (java.sql.PreparedStatement sendsStatement = connection.prepareStatement("""
                    insert into recent_send (subscriber_id, send_key, sent_at, engaged, seen_at)
                    values (?, ?, ?, false, ?)
                    on conflict (subscriber_id, send_key) do update set
                        sent_at = least(recent_send.sent_at, excluded.sent_at)
                    """);
                    java.sql.PreparedStatement engagements = connection.prepareStatement("""
                    insert into recent_send (subscriber_id, send_key, sent_at, engaged, seen_at)
                    values (?, ?, null, true, ?)
                    on conflict (subscriber_id, send_key) do update set engaged = true
                    """)) {
                int sendCount = 0;
                int engagementCount = 0;
                for (Pending row : rows) {
                    java.time.OffsetDateTime at = java.time.OffsetDateTime.ofInstant(row.at(), java.time.ZoneOffset.UTC);
                    if (row.signal().send()) {
                        sendsStatement.setString(1, row.subscriberId());
                        sendsStatement.setString(2, row.signal().key());
                        sendsStatement.setObject(3, at);
                        sendsStatement.setObject(4, at);
                        sendsStatement.addBatch();
                        sendCount++;
                    } else {
                        engagements.setString(1, row.subscriberId());
                        engagements.setString(2, row.signal().key());
                        engagements.setObject(3, at);
                        engagements.addBatch();
                        engagementCount++;
                    }
                }
                if (sendCount > 0) {
                    sendsStatement.executeBatch();
                }
                if (engagementCount > 0) {
                    engagements.executeBatch();
                }
            }
        });
    }

    /** Records the send or engagement without pruning (call {@link #prune} afterwards). */
    public void upsert(String subscriberId, EventSignals.SendSignal signal, Instant occurredAt) {
        if (signal.send()) {
            em.createNativeQuery("""
                    insert into recent_send (subscriber_id, send_key, sent_at, engaged, seen_at)
                    values (?1, ?2, ?3, false, ?3)
                    on conflict (subscriber_id, send_key) do update set
                        sent_at = least(recent_send.sent_at, excluded.sent_at)
                    """)
                    .setParameter(1, subscriberId).setParameter(2, signal.key()).setParameter(3, occurredAt)
                    .executeUpdate();
        } else {
            em.createNativeQuery("""
                    insert into recent_send (subscriber_id, send_key, sent_at, engaged, seen_at)
                    values (?1, ?2, null, true, ?3)
                    on conflict (subscriber_id, send_key) do update set engaged = true
                    """)
                    .setParameter(1, subscriberId).setParameter(2, signal.key()).setParameter(3, occurredAt)
                    .executeUpdate();
        }
    }

    /** {@link #prune} for many subscribers with one statement. */
    public void pruneAll(java.util.Collection<String> subscriberIds) {
        if (subscriberIds.isEmpty()) {
            return;
        }
        Jdbc.update(em, """
                delete from recent_send r using (
                    select subscriber_id, send_key, row_number() over (
                        partition by subscriber_id, sent_at is null
                        order by case when sent_at is null then seen_at else sent_at end desc, send_key desc) as rank,
                        sent_at is null as orphan
                    from recent_send where subscriber_id = any(?)) ranked
                where r.subscriber_id = ranked.subscriber_id and r.send_key = ranked.send_key
                    and ranked.rank > case when ranked.orphan then ? else ? end
                """, (c, s) -> {
            s.setArray(1, Jdbc.texts(c, subscriberIds));
            s.setInt(2, KEEP_ORPHANS);
            s.setInt(3, KEEP_SENDS);
        });
    }

    /** Keeps the newest {@link #KEEP_SENDS} sends and {@link #KEEP_ORPHANS} unmatched engagements. */
    public void prune(String subscriberId) {
        em.createNativeQuery("""
                delete from recent_send r where r.subscriber_id = ?1 and (
                    (r.sent_at is not null and r.send_key not in (
                        select send_key from recent_send where subscriber_id = ?1 and sent_at is not null
                        order by sent_at desc, send_key desc limit ?2))
                    or (r.sent_at is null and r.send_key not in (
                        select send_key from recent_send where subscriber_id = ?1 and sent_at is null
                        order by seen_at desc, send_key desc limit ?3)))
                """)
                .setParameter(1, subscriberId).setParameter(2, KEEP_SENDS).setParameter(3, KEEP_ORPHANS)
                .executeUpdate();
    }

    /** Engaged sends among the newest {@link #KEEP_SENDS}; 0 without sends. */
    public int engagedOfLast5(String subscriberId) {
        Object count = em.createNativeQuery("""
                select count(*) filter (where engaged) from (
                    select engaged from recent_send where subscriber_id = ?1 and sent_at is not null
                    order by sent_at desc, send_key desc limit ?2) newest
                """)
                .setParameter(1, subscriberId).setParameter(2, KEEP_SENDS).getSingleResult();
        return ((Number) count).intValue();
    }

    /** {@link #engagedOfLast5} for many subscribers with one statement; subscribers without sends are absent (0). */
    public java.util.Map<String, Integer> engagedOfLast5All(java.util.Collection<String> subscriberIds) {
        java.util.Map<String, Integer> engaged = new java.util.HashMap<>();
        if (subscriberIds.isEmpty()) {
            return engaged;
        }
        em.unwrap(org.hibernate.Session.class).doWork(connection -> {
            try (java.sql.PreparedStatement s = connection.prepareStatement("""
                    select subscriber_id, count(*) filter (where engaged) from (
                        select subscriber_id, engaged, row_number() over (
                            partition by subscriber_id order by sent_at desc, send_key desc) as rank
                        from recent_send where subscriber_id = any(?) and sent_at is not null) newest
                    where rank <= ? group by subscriber_id
                    """)) {
                s.setArray(1, Jdbc.texts(connection, subscriberIds));
                s.setInt(2, KEEP_SENDS);
                try (java.sql.ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        engaged.put(r.getString(1), r.getInt(2));
                    }
                }
            }
        });
        return engaged;
    }
}
