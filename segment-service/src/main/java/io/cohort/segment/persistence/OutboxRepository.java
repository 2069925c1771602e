package io.cohort.segment.persistence;

import io.cohort.contracts.SegmentMembershipEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * membership_outbox: events written in the same transaction as the membership change they
 * describe, published afterwards by the relay, so a transition is never lost nor invented.
 */
@ApplicationScoped
public class OutboxRepository {

    private final Jdbc jdbc;
    private final JsonColumns json;

    public OutboxRepository(Jdbc jdbc, JsonColumns json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public void append(SegmentMembershipEvent event, Instant now) {
        jdbc.update("insert into membership_outbox (event_id, subscriber_id, payload, created_at) "
                + "values (?, ?, cast(? as jsonb), ?)", s -> {
                    s.setObject(1, UUID.fromString(event.eventId()));
                    s.setString(2, event.subscriberId());
                    s.setString(3, json.write(event));
                    s.setObject(4, Jdbc.timestamp(now));
                });
    }

    /**
     * The oldest unpublished events, locked until the transaction ends; rows another relay holds
     * are skipped rather than waited for.
     */
    public List<PendingEvent> lockPending(int limit) {
        return jdbc.query("select id, payload::text as payload from membership_outbox where published_at is null "
                + "order by id limit ? for update skip locked", s -> s.setInt(1, limit),
                row -> new PendingEvent(row.getLong("id"),
                        json.read(row.getString("payload"), SegmentMembershipEvent.class)));
    }

    public void markPublished(List<Long> ids, Instant at) {
        jdbc.update("update membership_outbox set published_at = ? where id = any (?)", s -> {
            s.setObject(1, Jdbc.timestamp(at));
            Array array = s.getConnection().createArrayOf("bigint", ids.toArray());
            s.setArray(2, array);
        });
    }

    public record PendingEvent(long id, SegmentMembershipEvent event) {
    }
}
