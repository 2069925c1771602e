package io.cohort.segment.messaging;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import io.cohort.segment.persistence.SendRepository;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Records the sends that count towards cadence caps from {@code Email Sent} events on
 * {@code cohort.events.v1} (besides {@code POST /v1/subscribers/{id}/sends}). Idempotent by the
 * event's {@code messageId}: a redelivered event, or a send also posted with the same
 * {@code messageId}, is recorded once. The send time is the event's {@code timestamp} (when it
 * happened), else when ingest received it. Optional {@code properties.segmentId} and
 * {@code properties.contentKey} are kept like the API's.
 */
@ApplicationScoped
public class EmailSentConsumer {

    private static final Logger LOG = Logger.getLogger(EmailSentConsumer.class);

    private final SendRepository sends;

    public EmailSentConsumer(SendRepository sends) {
        this.sends = sends;
    }

    @Incoming("events-in")
    @Blocking
    public void onEvent(ConsumerRecord<String, EventEnvelope> record) {
        if (record.headers().lastHeader(DeserializationFailureHandler.DESERIALIZATION_FAILURE_REASON) != null) {
            LOG.warnf("skipping record %s-%d@%d: value is not a readable event", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        EventEnvelope event = record.value();
        if (event == null || event.type() != EventType.TRACK || !CanonicalEvents.EMAIL_SENT.equals(event.event())
                || event.userId() == null || event.userId().isBlank() || event.messageId() == null) {
            return;
        }
        Instant at = event.timestamp() != null ? event.timestamp() : event.receivedAt();
        if (at == null) {
            return;
        }
        Object segment = event.properties() == null ? null : event.properties().get("segmentId");
        Object content = event.properties() == null ? null : event.properties().get("contentKey");
        sends.recordOnce(event.userId(), at.truncatedTo(ChronoUnit.MICROS), event.messageId(), segmentId(segment),
                content instanceof String key && !key.isBlank() && key.length() <= 200 ? key : null);
    }

    private static UUID segmentId(Object raw) {
        if (raw instanceof String text) {
            try {
                return UUID.fromString(text);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }
}
