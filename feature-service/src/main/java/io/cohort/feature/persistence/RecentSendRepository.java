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

    /**
     * {@link #upsert} for many rows with two set-based statements (sends, then engagements). Rows of
     * the same subscriber and send are folded first, as applying them one by one would leave them: a
     * send keeps its earliest time (and the first row's {@code seen_at}), an engagement its first row.
     */
    public void upsertAll(List<Pending> rows) {
        if (rows.isEmpty()) {
            return;
        }
        java.util.Map<java.util.Map.Entry<String, String>, Instant[]> sendRows = new java.util.LinkedHashMap<>();
        java.util.Map<java.util.Map.Entry<String, String>, Instant> engagementRows = new java.util.LinkedHashMap<>();
        for (Pending row : rows) {
            var key = java.util.Map.entry(row.subscriberId(), row.signal().key());
            if (row.signal().send()) {
                sendRows.merge(key, new Instant[] {row.at(), row.at()},
                        (a, b) -> new Instant[] {a[0].isBefore(b[0]) ? a[0] : b[0], a[1]});
            } else {
                engagementRows.putIfAbsent(key, row.at());
            }
        }
        if (!sendRows.isEmpty()) {
            Jdbc.update(em, """
                    insert into recent_send (subscriber_id, send_key, sent_at, engaged, seen_at)
                    select t.id, t.send_key, cast(t.sent_at as timestamptz), false, cast(t.seen_at as timestamptz)
                    from unnest(?, ?, ?, ?) as t (id, send_key, sent_at, seen_at)
                    on conflict (subscriber_id, send_key) do update set
                        sent_at = least(recent_send.sent_at, excluded.sent_at)
                    """, (c, s) -> {
                s.setArray(1, Jdbc.texts(c, sendRows.keySet().stream().map(java.util.Map.Entry::getKey).toList()));
                s.setArray(2, Jdbc.texts(c, sendRows.keySet().stream().map(java.util.Map.Entry::getValue).toList()));
                s.setArray(3, Jdbc.strings(c, sendRows.values().stream().map(v -> v[0]).toList()));
                s.setArray(4, Jdbc.strings(c, sendRows.values().stream().map(v -> v[1]).toList()));
            });
        }
        if (!engagementRows.isEmpty()) {
            Jdbc.update(em, """
                    insert into recent_send (subscriber_id, send_key, sent_at, engaged, seen_at)
                    select t.id, t.send_key, cast(null as timestamptz), true, cast(t.seen_at as timestamptz)
                    from unnest(?, ?, ?) as t (id, send_key, seen_at)
                    on conflict (subscriber_id, send_key) do update set engaged = true
                    """, (c, s) -> {
                s.setArray(1, Jdbc.texts(c, engagementRows.keySet().stream().map(java.util.Map.Entry::getKey)
                        .toList()));
                s.setArray(2, Jdbc.texts(c, engagementRows.keySet().stream().map(java.util.Map.Entry::getValue)
                        .toList()));
                s.setArray(3, Jdbc.strings(c, List.copyOf(engagementRows.values())));
            });
        }
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
