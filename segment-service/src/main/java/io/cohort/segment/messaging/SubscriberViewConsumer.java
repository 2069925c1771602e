package io.cohort.segment.messaging;

import io.cohort.contracts.ClusterAssignment;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.SubscriberScores;
import io.cohort.segment.domain.ScoreVersion;
import io.cohort.segment.persistence.MembershipStore;
import io.cohort.segment.persistence.MembershipStore.ViewChange;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps the local view from the compacted features and scores topics. Each record is applied in
 * its own transaction ({@link MembershipStore}); the record is acknowledged, and its offset
 * committed, only after that transaction committed. Applying a record twice changes nothing.
 */
@ApplicationScoped
public class SubscriberViewConsumer {

    private static final Logger LOG = Logger.getLogger(SubscriberViewConsumer.class);

    private final MembershipStore store;
    private final MembershipMetrics metrics;
    private final OutboxRelay relay;

    public SubscriberViewConsumer(MembershipStore store, MembershipMetrics metrics, OutboxRelay relay) {
        this.store = store;
        this.metrics = metrics;
        this.relay = relay;
    }

    @Incoming("features-in")
    @Blocking
    public void onFeatures(ConsumerRecord<String, FeatureVector> record) {
        if (unreadable(record)) {
            return;
        }
        FeatureVector vector = record.value();
        ViewChange change;
        if (vector == null) {
            change = store.erase(record.key());
        } else if (!matchesKey(record, vector.subscriberId())) {
            return;
        } else {
            long started = System.nanoTime();
            change = store.applyFeatures(record.key(), vector.version(), withoutNulls(vector.features()),
                    labels(vector.labelsOrEmpty()), vector.computedAt());
            metrics.updateTook(System.nanoTime() - started);
        }
        done(record, vector == null, change);
    }

    @Incoming("scores-in")
    @Blocking
    public void onScores(ConsumerRecord<String, SubscriberScores> record) {
        if (unreadable(record)) {
            return;
        }
        SubscriberScores scores = record.value();
        ViewChange change;
        if (scores == null) {
            change = store.erase(record.key());
        } else if (!matchesKey(record, scores.subscriberId())) {
            return;
        } else {
            ClusterAssignment cluster = scores.cluster();
            ScoreVersion version = new ScoreVersion(scores.featureVersion(), scores.scoredAt(),
                    cluster == null ? null : cluster.modelVersion());
            long started = System.nanoTime();
            change = store.applyScores(record.key(), version,
                    cluster == null ? null : cluster.clusterId(),
                    cluster == null ? null : cluster.clusterName(),
                    withoutNulls(scores.scores()), reasons(scores.reasons()));
            metrics.updateTook(System.nanoTime() - started);
        }
        done(record, scores == null, change);
    }

    private void done(ConsumerRecord<String, ?> record, boolean tombstone, ViewChange change) {
        metrics.record(record.topic(), tombstone ? "erased" : change.applied() ? "applied" : "stale");
        metrics.transitions(change.transitions());
        if (!change.transitions().isEmpty()) {
            relay.nudge();
        }
    }

    /**
     * A record that cannot be used is logged by position only (never its content, which is personal
     * data) and skipped, so one bad record does not stop the partition.
     */
    private boolean unreadable(ConsumerRecord<String, ?> record) {
        String problem = null;
        if (record.headers().lastHeader(DeserializationFailureHandler.DESERIALIZATION_FAILURE_REASON) != null) {
            problem = "value is not readable JSON of the expected shape";
        } else if (record.key() == null || record.key().isBlank()) {
            problem = "record has no subscriber id key";
        }
        if (problem != null) {
            skip(record, problem);
            return true;
        }
        return false;
    }

    private boolean matchesKey(ConsumerRecord<String, ?> record, String subscriberId) {
        if (subscriberId != null && !subscriberId.equals(record.key())) {
            skip(record, "subscriberId in the value differs from the record key");
            return false;
        }
        return true;
    }

    private void skip(ConsumerRecord<String, ?> record, String problem) {
        LOG.warnf("skipping record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), problem);
        metrics.record(record.topic(), "skipped");
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        Map<String, String> copy = new HashMap<>();
        labels.forEach((name, value) -> {
            if (name != null && value != null) {
                copy.put(name, value);
            }
        });
        return copy;
    }

    private static Map<String, List<String>> reasons(Map<String, List<String>> reasons) {
        Map<String, List<String>> copy = new HashMap<>();
        if (reasons != null) {
            reasons.forEach((score, features) -> {
                if (score != null && features != null) {
                    copy.put(score, features.stream().filter(java.util.Objects::nonNull).toList());
                }
            });
        }
        return copy;
    }

    private static Map<String, Double> withoutNulls(Map<String, Double> features) {
        Map<String, Double> copy = new HashMap<>();
        if (features != null) {
            features.forEach((name, value) -> {
                if (name != null && value != null && !value.isNaN()) {
                    copy.put(name, value);
                }
            });
        }
        return copy;
    }
}
