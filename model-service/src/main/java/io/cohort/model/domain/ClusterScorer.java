package io.cohort.model.domain;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.tribuo.Model;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.impl.ArrayExample;

/** Assigns a subscriber's features to a cluster of one trained version, as training preprocessed them. */
public final class ClusterScorer {

    private final Preprocessing preprocessing;
    private final Model<ClusterID> model;
    /** Tribuo's predicted id → the cluster's public profile (stable id and name). */
    private final Map<Integer, ClusterProfile> byPredictedId;
    private final String[] featureNames;
    /** HDBSCAN predicts {@link ClusteringTrainer#HDBSCAN_NOISE_LABEL} for rows in no cluster. */
    private final boolean noiseModel;

    public ClusterScorer(Preprocessing preprocessing, Model<ClusterID> model, List<ClusterProfile> clusters) {
        this.preprocessing = preprocessing;
        this.model = model;
        this.byPredictedId = clusters.stream()
                .collect(Collectors.toUnmodifiableMap(ClusterProfile::predictedId, Function.identity()));
        this.featureNames = preprocessing.features().toArray(String[]::new);
        this.noiseModel = model instanceof org.tribuo.clustering.hdbscan.HdbscanModel;
    }

    public Assignment assign(Map<String, Double> features) {
        int predicted = model.predict(example(preprocessing.transform(features))).getOutput().getID();
        ClusterProfile cluster = byPredictedId.get(predicted);
        if (cluster == null && noiseModel && predicted == ClusteringTrainer.HDBSCAN_NOISE_LABEL) {
            // HDBSCAN noise although no training row was noise: still the noise group, never a cluster id
            return new Assignment(ClusterProfile.NOISE_ID, ClusterProfile.NOISE_NAME);
        }
        // a cluster left empty at training time has no profile; keep its id visible rather than guess
        return cluster != null ? new Assignment(cluster.clusterId(), cluster.name())
                : new Assignment(predicted, "Cluster " + predicted);
    }

    ArrayExample<ClusterID> example(double[] standardised) {
        return new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, featureNames, standardised);
    }

    /** The cluster a subscriber falls in and that cluster's name. */
    public record Assignment(int clusterId, String clusterName) {
    }
}
