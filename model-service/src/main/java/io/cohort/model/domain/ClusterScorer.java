package io.cohort.model.domain;

import java.util.Map;
import org.tribuo.Model;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.impl.ArrayExample;

/** Assigns a subscriber's features to a cluster of one trained version, as training preprocessed them. */
public final class ClusterScorer {

    private final Preprocessing preprocessing;
    private final Model<ClusterID> model;
    private final Map<Integer, String> clusterNames;
    private final String[] featureNames;

    public ClusterScorer(Preprocessing preprocessing, Model<ClusterID> model, Map<Integer, String> clusterNames) {
        this.preprocessing = preprocessing;
        this.model = model;
        this.clusterNames = Map.copyOf(clusterNames);
        this.featureNames = preprocessing.features().toArray(String[]::new);
    }

    public Assignment assign(Map<String, Double> features) {
        int clusterId = model.predict(example(preprocessing.transform(features))).getOutput().getID();
        return new Assignment(clusterId, clusterNames.getOrDefault(clusterId, "Cluster " + clusterId));
    }

    ArrayExample<ClusterID> example(double[] standardised) {
        return new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, featureNames, standardised);
    }

    /** The cluster a subscriber falls in and that cluster's name. */
    public record Assignment(int clusterId, String clusterName) {
    }
}
