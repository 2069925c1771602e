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
