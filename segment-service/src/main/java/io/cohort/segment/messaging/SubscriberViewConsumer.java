package io.cohort.segment.messaging;

import io.cohort.contracts.ClusterAssignment;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.SubscriberScores;
import io.cohort.segment.application.ErasureGate;
import io.cohort.segment.domain.ScoreVersion;
import io.cohort.segment.domain.ViewValues;
import io.cohort.segment.persistence.MembershipStore;
import io.cohort.segment.persistence.MembershipStore.ViewChange;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the local view from the compacted features and scores topics. Each record is applied in
 * its own transaction ({@link MembershipStore}); the record is acknowledged, and its offset
 * committed, only after that transaction committed. Applying a record twice changes nothing.
 * Records are read as bytes: one that cannot be used is dead-lettered ({@link RecordFailures});
 * a vector or scores of an erased subscriber computed at or before the erasure is dropped
 * ({@link ErasureGate}).
 */
@ApplicationScoped
public class SubscriberViewConsumer {

    static final String FEATURES_IN = "features-in";
    static final String SCORES_IN = "scores-in";

    private final MembershipStore store;
    private final MembershipMetrics metrics;
    private final OutboxRelay relay;
    private final RecordFailures failures;
    private final RecordValues values;
    private final ErasureGate gate;

    public SubscriberViewConsumer(MembershipStore store, MembershipMetrics metrics, OutboxRelay relay,
            RecordFailures failures, RecordValues values, ErasureGate gate) {
        this.store = store;
        this.metrics = metrics;
        this.relay = relay;
        this.failures = failures;
        this.values = values;
        this.gate = gate;
    }

    @Incoming(FEATURES_IN)
    @Blocking
    public void onFeatures(ConsumerRecord<String, byte[]> record) {
        failures.handle(FEATURES_IN, record, () -> applyFeatures(record));
    }

    @Incoming(SCORES_IN)
    @Blocking
    public void onScores(ConsumerRecord<String, byte[]> record) {
        failures.handle(SCORES_IN, record, () -> applyScores(record));
    }

    private void applyFeatures(ConsumerRecord<String, byte[]> record) {
        String subscriberId = RecordValues.subscriberKey(record);
        FeatureVector vector = values.read(record, FeatureVector.class);
        if (vector == null) {
            done(record, FEATURES_IN, true, tombstone(subscriberId));
            return;
        }
        RecordValues.requireSameSubscriber(record, vector.subscriberId());
        long started = System.nanoTime();
        Optional<ViewChange> change = gate.unlessErased(subscriberId, vector.computedAt(),
                () -> store.applyFeatures(subscriberId, vector.version(), ViewValues.numbers(vector.features()),
                        ViewValues.labels(vector.labelsOrEmpty()), vector.computedAt()));
        metrics.updateTook(System.nanoTime() - started);
        done(record, FEATURES_IN, false, change);
    }

    private void applyScores(ConsumerRecord<String, byte[]> record) {
        String subscriberId = RecordValues.subscriberKey(record);
        SubscriberScores scores = values.read(record, SubscriberScores.class);
        if (scores == null) {
            done(record, SCORES_IN, true, tombstone(subscriberId));
            return;
        }
        RecordValues.requireSameSubscriber(record, scores.subscriberId());
        ClusterAssignment cluster = scores.cluster();
        ScoreVersion version = new ScoreVersion(scores.featureVersion(), scores.scoredAt(),
                cluster == null ? null : cluster.modelVersion());
        long started = System.nanoTime();
        Optional<ViewChange> change = gate.unlessErased(subscriberId, scores.scoredAt(),
                () -> store.applyScores(subscriberId, version, cluster == null ? null : cluster.clusterId(),
                        cluster == null ? null : cluster.clusterName(), ViewValues.numbers(scores.scores()),
                        ViewValues.reasons(scores.reasons())));
        metrics.updateTook(System.nanoTime() - started);
        done(record, SCORES_IN, false, change);
    }

    /** A null value: the subscriber was erased upstream; under their lock, like every write of their view. */
    private Optional<ViewChange> tombstone(String subscriberId) {
        return Optional.of(gate.exclusively(subscriberId, () -> store.erase(subscriberId)));
    }

    /** {@code change} is empty when the record was dropped because its subscriber was erased after it. */
    private void done(ConsumerRecord<String, ?> record, String channel, boolean tombstone,
            Optional<ViewChange> change) {
        if (change.isEmpty()) {
            metrics.record(record.topic(), "suppressed");
            metrics.erasedDropped(channel);
            return;
        }
        metrics.record(record.topic(), tombstone ? "erased" : change.get().applied() ? "applied" : "stale");
        relay.committed(change.get().transitions());
    }
}
