package io.cohort.ingest.messaging;

import io.cohort.contracts.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes validated events on {@code cohort.events.v1}, keyed by subscriber, and waits for the broker. */
@ApplicationScoped
public class EventPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<EventEnvelope> events;

    public EventPublisher(@Channel("events-out") MutinyEmitter<EventEnvelope> events) {
        this.events = events;
    }

    /** Returns once the broker has acknowledged every event; throws if any was not written. */
    public void publishAll(List<EventEnvelope> envelopes) {
        List<Uni<Void>> acks = new ArrayList<>(envelopes.size());
        for (EventEnvelope envelope : envelopes) {
            Message<EventEnvelope> message = Message.of(envelope).addMetadata(
                    OutgoingKafkaRecordMetadata.<String>builder().withKey(envelope.subscriberKey()).build());
            acks.add(events.sendMessage(message));
        }
        if (!acks.isEmpty()) {
            Uni.join().all(acks).andFailFast().await().atMost(ACK_TIMEOUT);
        }
    }
}
