package io.cohort.feature.messaging;

import io.cohort.contracts.ErasureRequest;
import io.cohort.feature.persistence.FeatureStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code cohort.erasure.v1}: deletes the subscriber's profile and aggregates, then writes
 * a tombstone on {@code cohort.features.v1} so downstream views drop the vector too. Both steps
 * are idempotent, so a redelivered request is harmless; the tombstone is always written, which
 * repairs one lost before a previous ack.
 */
@ApplicationScoped
public class ErasureConsumer {

    private static final Logger LOG = Logger.getLogger(ErasureConsumer.class);

    private final FeatureStore store;
    private final FeatureVectorPublisher publisher;
    private final Counter erased;

    public ErasureConsumer(FeatureStore store, FeatureVectorPublisher publisher, MeterRegistry registry) {
        this.store = store;
        this.publisher = publisher;
        this.erased = registry.counter("cohort.feature.erasures");
    }

    @Incoming("erasure-in")
    @Blocking
    public void consume(ConsumerRecord<String, ErasureRequest> record) {
        ErasureRequest request = record.value();
        String subscriberId = request != null && request.subscriberId() != null ? request.subscriberId() : null;
        if (subscriberId == null || subscriberId.isBlank()) {
            // a compaction tombstone of an old request, or unreadable: nothing identifies whom to erase
            LOG.warnf("skipped erasure record %s-%d@%d: no subscriber id", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        store.erase(subscriberId);
        publisher.publishTombstone(subscriberId);
        erased.increment();
    }
}
