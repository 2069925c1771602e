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

    /** Inserts the rows with one JDBC batch, in order (call {@link #trim} per subscriber afterwards). */
    public void recordAll(List<Pending> rows) {
        if (rows.isEmpty()) {
            return;
        }
        em.unwrap(org.hibernate.Session.class).doWork(connection -> {
            try (java.sql.PreparedStatement statement = connection.prepareStatement("""
                    insert into recent_event (subscriber_id, message_id, occurred_at, type, event, name, properties)
                    values (?, ?, ?, ?, ?, ?, cast(? as jsonb))
                    """)) {
                for (Pending row : rows) {
                    statement.setString(1, row.subscriberId());
                    statement.setString(2, row.messageId());
                    statement.setObject(3, java.time.OffsetDateTime.ofInstant(row.occurredAt(),
                            java.time.ZoneOffset.UTC));
                    statement.setString(4, row.type());
                    statement.setString(5, row.event());
                    statement.setString(6, row.name());
                    statement.setString(7, row.properties());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        });
    }

    /** {@link #trim} for many subscribers with one statement. */
    public void trimAll(java.util.Collection<String> subscriberIds) {
        if (subscriberIds.isEmpty()) {
            return;
        }
        Jdbc.update(em, """
                delete from recent_event r using (
                    select subscriber_id, seq, row_number() over (
                        partition by subscriber_id order by occurred_at desc, seq desc) as rank
                    from recent_event where subscriber_id = any(?)) ranked
                where r.subscriber_id = ranked.subscriber_id and r.seq = ranked.seq and ranked.rank > ?
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
