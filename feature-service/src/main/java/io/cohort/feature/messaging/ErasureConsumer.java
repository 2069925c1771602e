package io.cohort.feature.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.cohort.contracts.ErasureRequest;
import io.cohort.feature.persistence.FeatureStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code cohort.erasure.v1}: registers the subscriber's hashed id as erased (so events
 * received before the erasure that are still in flight are dropped, see
 * {@link FeatureStore#erase}), deletes the profile and aggregates, then writes a tombstone on
 * {@code cohort.features.v1} so downstream views drop the vector too. All steps are idempotent, so
 * a redelivered request is harmless; the tombstone is always written, which repairs one lost before
 * a previous ack. A record that names nobody (unreadable, a compaction tombstone, no subscriber id)
 * or that fails permanently goes to the dead-letter topic; transient failures are retried.
 */
@ApplicationScoped
public class ErasureConsumer {

    static final String CHANNEL = "erasure-in";

    private final FeatureStore store;
    private final FeatureVectorPublisher publisher;
    private final Counter erased;
    private final DeadLetters deadLetters;
    private final ObjectReader requests;
    private final Clock clock;
    private final io.cohort.feature.application.FeatureEngine engine;
    private final RetryOrDeadLetter failures = RetryOrDeadLetter.standard();

    public ErasureConsumer(FeatureStore store, FeatureVectorPublisher publisher, MeterRegistry registry,
            DeadLetters deadLetters, ObjectMapper json, Clock clock,
            io.cohort.feature.application.FeatureEngine engine) {
        this.engine = engine;
        this.store = store;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.requests = json.readerFor(ErasureRequest.class);
        this.erased = registry.counter("cohort.feature.erasures");
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        failures.run(() -> {
            ErasureRequest request = read(record.value());
            // requestedAt is when ingest stopped accepting the subscriber's events; a request without
            // one is registered as of now, which drops at least everything received so far
            Instant erasedAt = request.requestedAt() != null ? request.requestedAt() : clock.instant();
            store.erase(request.subscriberId(), erasedAt);
            if (engine.postgresPublishesVectors()) {
                // under streams the topology writes the tombstone, in order behind its own vectors
                publisher.publishTombstone(request.subscriberId());
            }
            erased.increment();
        }, e -> deadLetters.send(CHANNEL, record, e));
    }

    private ErasureRequest read(byte[] value) {
        ErasureRequest request = RecordValues.read(requests, value, "an erasure request");
        if (request.subscriberId() == null || request.subscriberId().isBlank()) {
            throw new UnprocessableRecordException("not an applicable erasure request: no subscriber id");
        }
        return request;
    }
}
