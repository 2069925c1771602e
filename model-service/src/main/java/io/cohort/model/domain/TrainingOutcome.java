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
        return new ClusterScorer(preprocessing, model, clusters.stream()
                .collect(java.util.stream.Collectors.toMap(ClusterProfile::clusterId, ClusterProfile::name)));
    }
}
