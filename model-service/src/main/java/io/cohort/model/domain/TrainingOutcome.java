package io.cohort.model.domain;

import java.util.List;
import org.tribuo.Model;
import org.tribuo.clustering.ClusterID;

/** A trained clustering with everything the registry stores about it. */
public record TrainingOutcome(
        Model<ClusterID> model,
        Preprocessing preprocessing,
        Hyperparameters hyperparameters,
        ClusteringMetrics metrics,
        List<ClusterProfile> clusters) {

    public TrainingOutcome {
        clusters = List.copyOf(clusters);
    }

    public ClusterScorer scorer() {
        return new ClusterScorer(preprocessing, model, clusters);
    }

    /** The same outcome with cluster ids carried over from the previous version where clusters match. */
    public TrainingOutcome withStableIds(List<ClusterProfile> previous) {
        return new TrainingOutcome(model, preprocessing, hyperparameters, metrics,
                StableClusterIds.assign(previous, clusters, preprocessing));
    }

    /** The same outcome with the decision on its activation in its metrics. */
    public TrainingOutcome withComparison(io.cohort.model.domain.retrain.ActivationDecision decision) {
        return new TrainingOutcome(model, preprocessing, hyperparameters, metrics.withComparison(decision), clusters);
    }
}
