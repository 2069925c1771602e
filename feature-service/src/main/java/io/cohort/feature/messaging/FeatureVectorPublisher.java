package io.cohort.feature.messaging;

import io.cohort.contracts.FeatureVector;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes vectors on the compacted {@code cohort.features.v1}, keyed by subscriber, and waits
 * for the broker. Call it outside any transaction.
 */
@ApplicationScoped
public class FeatureVectorPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<Record<String, FeatureVector>> features;
    private final Counter published;
    private final Counter tombstones;

    public FeatureVectorPublisher(@Channel("features-out") MutinyEmitter<Record<String, FeatureVector>> features,
            MeterRegistry registry) {
        this.features = features;
        this.published = registry.counter("cohort.feature.vectors.published");
        this.tombstones = registry.counter("cohort.feature.tombstones.published");
    }

    /** Returns once the broker has the vector; throws if it could not be written. */
    public void publish(FeatureVector vector) {
        features.send(Record.of(vector.subscriberId(), vector)).await().atMost(ACK_TIMEOUT);
        published.increment();
    }

    /**
     * The most vectors sent before their acks are awaited: the emitter's downstream (the Kafka sink's
     * in-flight window, 1024 by default) refuses more at once ("insufficient downstream requests").
     */
    static final int MAX_IN_FLIGHT = 500;

    /**
     * Sends all vectors (in order, so a subscriber's versions stay ordered on its partition), waiting
     * for the acks of each {@link #MAX_IN_FLIGHT} before sending more; throws if any could not be written.
     */
    public void publishAll(java.util.List<FeatureVector> vectors) {
        for (int from = 0; from < vectors.size(); from += MAX_IN_FLIGHT) {
            java.util.List<FeatureVector> chunk = vectors.subList(from, Math.min(vectors.size(), from + MAX_IN_FLIGHT));
            java.util.List<java.util.concurrent.CompletableFuture<Void>> acks = new java.util.ArrayList<>(chunk.size());
            for (FeatureVector vector : chunk) {
                acks.add(features.send(Record.of(vector.subscriberId(), vector)).subscribeAsCompletionStage());
            }
            java.util.concurrent.CompletableFuture.allOf(acks.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .orTimeout(ACK_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
            published.increment(chunk.size());
        }
    }

    /** Writes a null value for the subscriber, so compaction drops their vector everywhere. */
    public void publishTombstone(String subscriberId) {
        features.send(Record.<String, FeatureVector>of(subscriberId, null)).await().atMost(ACK_TIMEOUT);
        tombstones.increment();
    }
}
