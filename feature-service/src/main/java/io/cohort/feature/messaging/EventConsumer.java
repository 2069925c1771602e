package io.cohort.feature.messaging;

import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.FeatureVector;
import io.cohort.feature.persistence.ApplyPhases;
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
    private final Counter processed;
    private final Counter duplicates;
    private final Counter skipped;
    private final ApplyPhases phases;
    private volatile long lastReturn;
    private volatile long lastApplied;

    public EventConsumer(FeatureStore store, FeatureVectorPublisher publisher, MeterRegistry registry,
            ApplyPhases phases) {
        this.store = store;
        this.phases = phases;
        this.publisher = publisher;
        this.processed = registry.counter("cohort.feature.events", "outcome", "processed");
        this.duplicates = registry.counter("cohort.feature.events", "outcome", "duplicate");
        this.skipped = registry.counter("cohort.feature.events", "outcome", "skipped");
    }

    @Incoming("events-in")
    @Blocking
    public void consume(ConsumerRecords<String, EventEnvelope> records) {
        long t = phases.start();
        if (lastReturn != 0) {
            // Kafka fetch, deserialization and the connector's hand-over since the previous poll returned
            phases.lap("between-polls", lastReturn);
        }
        try {
            consumeTimed(records, t);
        } finally {
            lastReturn = phases.start();
        }
    }

    /** Whether a poll with events was applied within the last {@code window} (the refresh then yields). */
    public boolean appliedWithin(java.time.Duration window) {
        long last = lastApplied;
        return last != 0 && System.nanoTime() - last < window.toNanos();
    }

    private void consumeTimed(ConsumerRecords<String, EventEnvelope> records, long t) {
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
        // data-quality counts are sharded by partition (see DataQualityRepository); a poll may span
        // partitions, any one of them this consumer owns will do
        int shard = records.partitions().iterator().next().partition();
        List<FeatureStore.Applied> outcomes;
        try {
            t = phases.lap("filter", t);
            outcomes = store.applyBatch(events, shard);
            t = phases.lap("transaction", t);
        } catch (RuntimeException e) {
            LOG.warnf("batch of %d events failed (%s); applying them one by one", events.size(),
                    e.getClass().getSimpleName());
            for (EventEnvelope event : events) {
                FeatureStore.Applied applied = store.apply(event, shard);
                applied.vector().ifPresent(publisher::publish);
                count(applied);
            }
            return;
        }
        List<FeatureVector> vectors = new ArrayList<>();
        outcomes.forEach(applied -> applied.vector().ifPresent(vectors::add));
        publisher.publishAll(vectors);
        t = phases.lap("publish", t);
        outcomes.forEach(this::count);
        lastApplied = System.nanoTime();
        phases.lap("count", t);
    }

    private void count(FeatureStore.Applied applied) {
        (applied.duplicate() ? duplicates : processed).increment();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
