package io.cohort.feature.messaging;

import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.FeatureVector;
import io.cohort.feature.domain.DataQuality;
import io.cohort.feature.persistence.DataQualityRepository;
import io.cohort.feature.persistence.FeatureStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code cohort.events.v1} in batches (one poll at a time): applies the batch in one
 * transaction, publishes the resulting vectors after the commit (all sent, then all acks awaited),
 * and only then returns, so the offsets are committed once the events are stored and their vectors
 * out. With coalescing on, the batch only marks its subscribers and {@link AccountRefresh} publishes
 * them. A failing batch is retried event by event, each in its own transaction, so one bad event
 * cannot hold back the others; a failure then leaves the offsets uncommitted and the events are
 * redelivered, which the message-id claim makes harmless.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    private final FeatureStore store;
    private final FeatureVectorPublisher publisher;
    private final DataQualityRepository quality;
    private final Counter processed;
    private final Counter duplicates;
    private final Counter skipped;

    public EventConsumer(FeatureStore store, FeatureVectorPublisher publisher, MeterRegistry registry,
            DataQualityRepository quality) {
        this.store = store;
        this.publisher = publisher;
        this.quality = quality;
        this.processed = registry.counter("cohort.feature.events", "outcome", "processed");
        this.duplicates = registry.counter("cohort.feature.events", "outcome", "duplicate");
        this.skipped = registry.counter("cohort.feature.events", "outcome", "skipped");
    }

    @Incoming("events-in")
    @Blocking
    public void consume(ConsumerRecords<String, EventEnvelope> records) {
        List<EventEnvelope> events = new ArrayList<>(records.count());
        for (ConsumerRecord<String, EventEnvelope> record : records) {
            EventEnvelope event = record.value();
            if (event == null || isBlank(event.messageId()) || isBlank(event.subscriberKey())) {
                // unreadable (see the deserializer), a tombstone, or an envelope ingest would never have written
                LOG.warnf("skipped record %s-%d@%d: not an applicable event", record.topic(), record.partition(),
                        record.offset());
                skipped.increment();
                continue;
            }
            events.add(event);
        }
        if (events.isEmpty()) {
            return;
        }
        List<FeatureStore.Applied> outcomes;
        try {
            outcomes = store.applyBatch(events);
        } catch (RuntimeException e) {
            LOG.warnf("batch of %d events failed (%s); applying them one by one", events.size(),
                    e.getClass().getSimpleName());
            for (EventEnvelope event : events) {
                FeatureStore.Applied applied = store.apply(event);
                applied.vector().ifPresent(publisher::publish);
                count(event, applied);
            }
            return;
        }
        List<FeatureVector> vectors = new ArrayList<>();
        outcomes.forEach(applied -> applied.vector().ifPresent(vectors::add));
        publisher.publishAll(vectors);
        for (int i = 0; i < events.size(); i++) {
            count(events.get(i), outcomes.get(i));
        }
    }

    private void count(EventEnvelope event, FeatureStore.Applied applied) {
        (applied.duplicate() ? duplicates : processed).increment();
        quality.add(DataQuality.of(event, applied.duplicate()));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
