package io.cohort.segment.streaming;

import io.cohort.contracts.ClusterAssignment;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.SubscriberScores;
import io.cohort.segment.domain.ScoreVersion;
import io.cohort.segment.domain.SubscriberView;
import io.cohort.segment.domain.ViewValues;
import java.util.Optional;

/**
 * Applies a feature vector or scores record to a subscriber view, with the same ordering and
 * cleaning as the PostgreSQL path ({@code SubscriberViewConsumer}, {@code MembershipStore}): a
 * vector replaces the features only when its version is newer, scores only when
 * {@link ScoreVersion#isNewerThan}; null names and values (and NaN numbers) are dropped.
 */
final class ViewInputs {

    private ViewInputs() {
    }

    /** The view with the vector applied; empty when the view already holds this or a newer version. */
    static Optional<SubscriberView> withFeatures(SubscriberView current, FeatureVector vector) {
        if (!current.acceptsFeatureVersion(vector.version())) {
            return Optional.empty();
        }
        return Optional.of(current.withFeatures(vector.version(), ViewValues.numbers(vector.features()),
                ViewValues.labels(vector.labelsOrEmpty()), vector.computedAt()));
    }

    /** The view with the scores applied; empty when the view already holds scores at least as new. */
    static Optional<SubscriberView> withScores(SubscriberView current, SubscriberScores scores) {
        ClusterAssignment cluster = scores.cluster();
        ScoreVersion version = new ScoreVersion(scores.featureVersion(), scores.scoredAt(),
                cluster == null ? null : cluster.modelVersion());
        if (!version.isNewerThan(current.scoreVersion())) {
            return Optional.empty();
        }
        return Optional.of(current.withScores(version, cluster == null ? null : cluster.clusterId(),
                cluster == null ? null : cluster.clusterName(), ViewValues.numbers(scores.scores()), ViewValues.reasons(scores.reasons())));
    }
}
