package io.cohort.feature.messaging;

import io.cohort.contracts.EventEnvelope;
import io.cohort.feature.persistence.FeatureStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code cohort.events.v1}: applies each event in its own transaction, publishes the
 * resulting vector after the commit, and only then returns, so the offset is committed once the
 * event is both stored and published. A failure before that leaves the offset uncommitted and the
 * event is redelivered; the message-id claim makes the redelivery harmless.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    private final FeatureStore store;
    private final FeatureVectorPublisher publisher;
    private final Counter processed;
    private final Counter duplicates;
    private final Counter skipped;

    public EventConsumer(FeatureStore store, FeatureVectorPublisher publisher, MeterRegistry registry) {
        this.store = store;
        this.publisher = publisher;
        this.processed = registry.counter("cohort.feature.events", "outcome", "processed");
        this.duplicates = registry.counter("cohort.feature.events", "outcome", "duplicate");
        this.skipped = registry.counter("cohort.feature.events", "outcome", "skipped");
    }

    @Incoming("events-in")
    @Blocking
    public void consume(ConsumerRecord<String, EventEnvelope> record) {
        EventEnvelope event = record.value();
        if (event == null || isBlank(event.messageId()) || isBlank(event.subscriberKey())) {
            // unreadable (see the deserializer), a tombstone, or an envelope ingest would never have written
            LOG.warnf("skipped record %s-%d@%d: not an applicable event", record.topic(), record.partition(),
                    record.offset());
            skipped.increment();
            return;
        }
        FeatureStore.Applied applied = store.apply(event);
        applied.vector().ifPresent(publisher::publish);
        (applied.duplicate() ? duplicates : processed).increment();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
