package io.cohort.segment.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Sends recorded by the sender, for cadence caps; erased with the subscriber. */
@ApplicationScoped
public class SendRepository {

    private final Jdbc jdbc;

    public SendRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String subscriberId, Instant sentAt, UUID segmentId, String contentKey) {
        jdbc.update("insert into subscriber_send (subscriber_id, sent_at, segment_id, content_key) values (?, ?, ?, ?)",
                s -> {
                    s.setString(1, subscriberId);
                    s.setObject(2, Jdbc.timestamp(sentAt));
                    s.setObject(3, segmentId);
                    s.setString(4, contentKey);
                });
    }

    /**
     * Records a send identified by {@code messageId} unless a send with that id is recorded already
     * (an event redelivered, or the same send posted and tracked); true when it was new.
     */
    public boolean recordOnce(String subscriberId, Instant sentAt, String messageId, UUID segmentId,
            String contentKey) {
        return jdbc.update("insert into subscriber_send (subscriber_id, sent_at, segment_id, content_key, message_id) "
                + "values (?, ?, ?, ?, ?) on conflict (message_id) where message_id is not null do nothing", s -> {
                    s.setString(1, subscriberId);
                    s.setObject(2, Jdbc.timestamp(sentAt));
                    s.setObject(3, segmentId);
                    s.setString(4, contentKey);
                    s.setString(5, messageId);
                }) == 1;
    }

    /** Send times after {@code since}, oldest first. */
    public List<Instant> since(String subscriberId, Instant since) {
        return jdbc.query("select sent_at from subscriber_send where subscriber_id = ? and sent_at > ? order by sent_at",
                s -> {
                    s.setString(1, subscriberId);
                    s.setObject(2, Jdbc.timestamp(since));
                }, row -> Jdbc.instant(row, "sent_at"));
    }

    public void forget(String subscriberId) {
        jdbc.update("delete from subscriber_send where subscriber_id = ?", s -> s.setString(1, subscriberId));
    }
}
