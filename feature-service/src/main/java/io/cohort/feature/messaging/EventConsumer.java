package io.cohort.feature.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
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
 * them.
 *
 * <p>Failures (see {@link RetryOrDeadLetter}): a transient one is retried; when the batch fails
 * permanently it is applied event by event, each in its own transaction, and only the events that
 * fail permanently go to the dead-letter topic, so one bad event holds back nobody. Records that are
 * no event at all (unreadable, no value, no message id or subscriber key) are dead-lettered at once.
 * Every dead letter is acked before the poll returns, i.e. before its offset is committed.
 */
@ApplicationScoped
public class EventConsumer {

    static final String CHANNEL = "events-in";
    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    private final FeatureStore store;
    private final FeatureVectorPublisher publisher;
    private final Counter processed;
    private final Counter duplicates;
    private final Counter skipped;
    private final Counter suppressed;
    private final ApplyPhases phases;
    private final DeadLetters deadLetters;
    private final ObjectReader envelopes;
    private final RetryOrDeadLetter failures = RetryOrDeadLetter.standard();
    private volatile long lastReturn;
    private volatile long lastApplied;

    public EventConsumer(FeatureStore store, FeatureVectorPublisher publisher, MeterRegistry registry,
            ApplyPhases phases, DeadLetters deadLetters, ObjectMapper json) {
        this.store = store;
        this.deadLetters = deadLetters;
        this.envelopes = json.readerFor(EventEnvelope.class);
        this.phases = phases;
        this.publisher = publisher;
        this.processed = registry.counter("cohort.feature.events", "outcome", "processed");
        this.duplicates = registry.counter("cohort.feature.events", "outcome", "duplicate");
        this.skipped = registry.counter("cohort.feature.events", "outcome", "skipped");
        // events of erased subscribers received before their erasure (see SuppressionRegister)
        this.suppressed = registry.counter("cohort.feature.events", "outcome", "suppressed");
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
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

    private void consumeTimed(ConsumerRecords<String, byte[]> records, long t) {
        List<EventEnvelope> events = new ArrayList<>(records.count());
        List<ConsumerRecord<String, byte[]>> sources = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                events.add(read(record.value()));
                sources.add(record);
            } catch (UnprocessableRecordException e) {
                skipped.increment();
                deadLetters.send(CHANNEL, record, e);
            }
        }
        if (events.isEmpty()) {
            return;
        }
        // data-quality counts are sharded by partition (see DataQualityRepository); a poll may span
        // partitions, any one of them this consumer owns will do
        int shard = records.partitions().iterator().next().partition();
        t = phases.lap("filter", t);
        List<FeatureStore.Applied> outcomes = applyBatch(events, shard);
        if (outcomes == null) {
            applyOneByOne(events, sources, shard);
            return;
        }
        t = phases.lap("transaction", t);
        List<FeatureVector> vectors = new ArrayList<>();
        outcomes.forEach(applied -> applied.vector().ifPresent(vectors::add));
        failures.retrying(() -> publisher.publishAll(vectors));
        t = phases.lap("publish", t);
        outcomes.forEach(this::count);
        lastApplied = System.nanoTime();
        phases.lap("count", t);
    }

    /** The batch's outcomes, or null when it failed permanently (it is then applied event by event). */
    private List<FeatureStore.Applied> applyBatch(List<EventEnvelope> events, int shard) {
        List<List<FeatureStore.Applied>> outcomes = new ArrayList<>(1);
        boolean applied = failures.run(() -> outcomes.add(store.applyBatch(events, shard)),
                e -> LOG.warnf("batch of %d events failed (%s); applying them one by one", events.size(),
                        e.getClass().getSimpleName()));
        return applied ? outcomes.get(0) : null;
    }

    private void applyOneByOne(List<EventEnvelope> events, List<ConsumerRecord<String, byte[]>> sources, int shard) {
        for (int i = 0; i < events.size(); i++) {
            EventEnvelope event = events.get(i);
            ConsumerRecord<String, byte[]> source = sources.get(i);
            failures.run(() -> {
                FeatureStore.Applied applied = store.apply(event, shard);
                applied.vector().ifPresent(publisher::publish);
                count(applied);
            }, e -> deadLetters.send(CHANNEL, source, e));
        }
    }

    /** The record's event; throws when it is none (see the class comment). */
    private EventEnvelope read(byte[] value) {
        EventEnvelope event = RecordValues.read(envelopes, value, "an event envelope");
        if (isBlank(event.messageId()) || isBlank(event.subscriberKey())) {
            throw new UnprocessableRecordException("not an applicable event: no message id or subscriber key");
        }
        return event;
    }

    private void count(FeatureStore.Applied applied) {
        (applied.suppressed() ? suppressed : applied.duplicate() ? duplicates : processed).increment();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
