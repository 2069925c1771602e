package io.cohort.feature.messaging;

import io.cohort.contracts.FeatureVector;
import io.cohort.feature.persistence.SubscriberRepository;
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
 *
 * <p>A vector is computed in one transaction and sent after it commits, so an erasure can delete the
 * subscriber and write its tombstone in between; the vector would then land after the tombstone and
 * compaction would keep it. So once the broker has the vectors, the publisher looks for subscribers
 * that no longer exist and writes a tombstone behind each (same key, same partition, later offset).
 * Whatever the interleaving, the last record of an erased subscriber is a tombstone: either the
 * check sees the row gone, or the erasure had not committed yet and its own tombstone comes later.
 */
@ApplicationScoped
public class FeatureVectorPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<Record<String, FeatureVector>> features;
    private final Counter published;
    private final Counter tombstones;
    private final SubscriberRepository subscribers;

    public FeatureVectorPublisher(@Channel("features-out") MutinyEmitter<Record<String, FeatureVector>> features,
            MeterRegistry registry, SubscriberRepository subscribers) {
        this.features = features;
        this.subscribers = subscribers;
        this.published = registry.counter("cohort.feature.vectors.published");
        this.tombstones = registry.counter("cohort.feature.tombstones.published");
    }

    /** Returns once the broker has the vector; throws if it could not be written. */
    public void publish(FeatureVector vector) {
        features.send(Record.of(vector.subscriberId(), vector)).await().atMost(ACK_TIMEOUT);
        published.increment();
        tombstoneErased(java.util.List.of(vector.subscriberId()));
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
        if (!vectors.isEmpty()) {
            tombstoneErased(vectors.stream().map(FeatureVector::subscriberId).distinct().toList());
        }
    }

    private void tombstoneErased(java.util.List<String> subscriberIds) {
        subscribers.absent(subscriberIds).forEach(this::publishTombstone);
    }

    /** Writes a null value for the subscriber, so compaction drops their vector everywhere. */
    public void publishTombstone(String subscriberId) {
        features.send(Record.<String, FeatureVector>of(subscriberId, null)).await().atMost(ACK_TIMEOUT);
        tombstones.increment();
    }
}
