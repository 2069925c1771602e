package io.cohort.segment.messaging;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import io.cohort.segment.application.ErasureGate;
import io.cohort.segment.persistence.SendRepository;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Records the sends that count towards cadence caps from {@code Email Sent} events on
 * {@code cohort.events.v1} (besides {@code POST /v1/subscribers/{id}/sends}). Idempotent by the
 * event's {@code messageId}: a redelivered event, or a send also posted with the same
 * {@code messageId}, is recorded once. The send time is the event's {@code timestamp} (when it
 * happened), else when ingest received it. Optional {@code properties.segmentId} and
 * {@code properties.contentKey} are kept like the API's. Every other event (opens, clicks, page
 * views: most of the topic) is passed over by a byte search for the event name, before any JSON
 * parsing. An unreadable {@code Email Sent} is dead-lettered; one of a subscriber erased after
 * ingest received it is dropped.
 */
@ApplicationScoped
public class EmailSentConsumer {

    static final String EVENTS_IN = "events-in";
    private static final byte[] NAME = ("\"" + CanonicalEvents.EMAIL_SENT + "\"").getBytes(StandardCharsets.UTF_8);

    private final SendRepository sends;
    private final RecordFailures failures;
    private final RecordValues values;
    private final ErasureGate gate;
    private final MembershipMetrics metrics;

    public EmailSentConsumer(SendRepository sends, RecordFailures failures, RecordValues values, ErasureGate gate,
            MembershipMetrics metrics) {
        this.sends = sends;
        this.failures = failures;
        this.values = values;
        this.gate = gate;
        this.metrics = metrics;
    }

    @Incoming(EVENTS_IN)
    @Blocking
    public void onEvent(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null || !contains(record.value(), NAME)) {
            return;
        }
        failures.handle(EVENTS_IN, record, () -> record(values.read(record, EventEnvelope.class)));
    }

    private void record(EventEnvelope event) {
        if (event.type() != EventType.TRACK || !CanonicalEvents.EMAIL_SENT.equals(event.event())
                || event.userId() == null || event.userId().isBlank() || event.messageId() == null) {
            return;
        }
        Instant at = event.timestamp() != null ? event.timestamp() : event.receivedAt();
        if (at == null) {
            return;
        }
        Object segment = event.properties() == null ? null : event.properties().get("segmentId");
        Object content = event.properties() == null ? null : event.properties().get("contentKey");
        boolean kept = gate.unlessErased(event.userId(), event.receivedAt(), () -> sends.recordOnce(event.userId(),
                at.truncatedTo(ChronoUnit.MICROS), event.messageId(), segmentId(segment),
                content instanceof String key && !key.isBlank() && key.length() <= 200 ? key : null)).isPresent();
        if (!kept) {
            metrics.erasedDropped(EVENTS_IN);
        }
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

    static boolean contains(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i <= data.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
