package io.cohort.feature.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.EventEnvelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The last {@code cohort.feature.timeline.keep} events of each subscriber, newest first. */
@ApplicationScoped
public class RecentEventRepository {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final EntityManager em;
    private final ObjectMapper json;
    private final int keep;

    public RecentEventRepository(EntityManager em, ObjectMapper json,
            @ConfigProperty(name = "cohort.feature.timeline.keep", defaultValue = "200") int keep) {
        this.em = em;
        this.json = json;
        this.keep = keep;
    }

    /** Records the event and drops the subscriber's events beyond the newest {@code keep}. */
    public void record(String subscriberId, EventEnvelope event, Instant occurredAt) {
        em.createNativeQuery("""
                insert into recent_event (subscriber_id, message_id, occurred_at, type, event, name, properties)
                values (?1, ?2, ?3, ?4, ?5, ?6, cast(?7 as jsonb))
                """)
                .setParameter(1, subscriberId)
                .setParameter(2, event.messageId())
                .setParameter(3, occurredAt)
                .setParameter(4, event.type().name().toLowerCase(java.util.Locale.ROOT))
                .setParameter(5, event.event())
                .setParameter(6, event.name())
                .setParameter(7, event.properties() == null ? null : write(event.properties()))
                .executeUpdate();
        trim(subscriberId);
    }

    /** A timeline row to insert later with {@link #recordAll}. */
    public record Pending(String subscriberId, String messageId, Instant occurredAt, String type, String event,
            String name, String properties) {
    }

    public Pending pending(String subscriberId, EventEnvelope event, Instant occurredAt) {
        return new Pending(subscriberId, event.messageId(), occurredAt,
                event.type().name().toLowerCase(java.util.Locale.ROOT), event.event(), event.name(),
                event.properties() == null ? null : write(event.properties()));
    }

    /**
     * Inserts the rows with one set-based statement, in order ({@code seq} follows the array order);
     * call {@link #trimAll} for their subscribers afterwards.
     */
    public void recordAll(List<Pending> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Jdbc.update(em, """
                insert into recent_event (subscriber_id, message_id, occurred_at, type, event, name, properties)
                select t.id, t.message_id, cast(t.at as timestamptz), t.type, t.event, t.name, cast(t.properties as jsonb)
                from unnest(?, ?, ?, ?, ?, ?, ?) with ordinality as t (id, message_id, at, type, event, name, properties, n)
                order by t.n
                """, (c, s) -> {
            s.setArray(1, Jdbc.texts(c, rows.stream().map(Pending::subscriberId).toList()));
            s.setArray(2, Jdbc.texts(c, rows.stream().map(Pending::messageId).toList()));
            s.setArray(3, Jdbc.strings(c, rows.stream().map(Pending::occurredAt).toList()));
            s.setArray(4, Jdbc.texts(c, rows.stream().map(Pending::type).toList()));
            s.setArray(5, Jdbc.texts(c, rows.stream().map(Pending::event).toList()));
            s.setArray(6, Jdbc.texts(c, rows.stream().map(Pending::name).toList()));
            s.setArray(7, Jdbc.texts(c, rows.stream().map(Pending::properties).toList()));
        });
    }

    /**
     * {@link #trim} for many subscribers with one statement: per subscriber, the primary key
     * (subscriber, occurred_at, seq), scanned backwards, finds the first event beyond the newest
     * {@code keep}, and everything from it on is deleted; a subscriber within the limit costs one short
     * index probe.
     */
    public void trimAll(java.util.Collection<String> subscriberIds) {
        if (subscriberIds.isEmpty()) {
            return;
        }
        Jdbc.update(em, """
                delete from recent_event r using (
                    select t.id, cut.occurred_at, cut.seq from unnest(?) as t (id)
                    cross join lateral (select e.occurred_at, e.seq from recent_event e where e.subscriber_id = t.id
                        order by e.occurred_at desc, e.seq desc offset ? limit 1) cut) beyond
                where r.subscriber_id = beyond.id and (r.occurred_at, r.seq) <= (beyond.occurred_at, beyond.seq)
                """, (c, s) -> {
            s.setArray(1, Jdbc.texts(c, subscriberIds));
            s.setInt(2, keep);
        });
    }

    /** Drops the subscriber's events beyond the newest {@code keep}. */
    public void trim(String subscriberId) {
        em.createNativeQuery("""
                delete from recent_event where subscriber_id = ?1 and seq not in (
                    select seq from recent_event where subscriber_id = ?1
                    order by occurred_at desc, seq desc limit ?2)
                """)
                .setParameter(1, subscriberId)
                .setParameter(2, keep)
                .executeUpdate();
    }

    /** Up to {@code limit} events older than the cursor position (null: from the newest), newest first. */
    public List<Item> page(String subscriberId, Instant beforeAt, Long beforeSeq, int limit) {
        boolean fromCursor = beforeAt != null && beforeSeq != null;
        var query = em.createNativeQuery("""
                select seq, message_id, occurred_at, type, event, name, cast(properties as text) from recent_event
                where subscriber_id = ?1 and %s
                order by occurred_at desc, seq desc
                limit ?2
                """.formatted(fromCursor ? "(occurred_at, seq) < (?3, ?4)" : "true"))
                .setParameter(1, subscriberId)
                .setParameter(2, limit);
        if (fromCursor) {
            query.setParameter(3, beforeAt).setParameter(4, beforeSeq);
        }
        List<?> rows = query.getResultList();
        return rows.stream().map(row -> {
            Object[] c = (Object[]) row;
            return new Item(((Number) c[0]).longValue(), (String) c[1], SqlValues.instant(c[2]), (String) c[3],
                    (String) c[4], (String) c[5], c[6] == null ? null : read((String) c[6]));
        }).toList();
    }

    private String write(Map<String, Object> value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("properties are not serialisable", e);
        }
    }

    private Map<String, Object> read(String value) {
        try {
            return json.readValue(value, OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored properties are not readable", e);
        }
    }

    /** One stored event; {@code seq} orders events of the same instant. */
    public record Item(long seq, String messageId, Instant occurredAt, String type, String event, String name,
            Map<String, Object> properties) {
    }
}
