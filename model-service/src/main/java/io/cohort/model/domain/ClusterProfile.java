package io.cohort.model.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;

/**
 * One cluster of a trained model as people read it.
 *
 * @param clusterId the public, stable cluster id (what scores and cluster segments carry); kept
 *                  across retrains for clusters that match one of the previous version
 * @param name generated from the features that most distinguish the cluster
 * @param size members in the training rows
 * @param share size / training rows
 * @param centroid mean feature values of the members in original units (absent values imputed)
 * @param modelClusterId the id Tribuo's model predicts for this cluster; null in versions stored
 *                       before stable ids existed, where it equals {@code clusterId}
 * @param distinguishingFeatures the features that most distinguish the cluster from the population,
 *                               largest |z-difference| first (at most {@link #DISTINGUISHING_FEATURES});
 *                               null in versions stored before they were recorded
 */
public record ClusterProfile(int clusterId, String name, int size, double share, Map<String, Double> centroid,
        Integer modelClusterId, List<DistinguishingFeature> distinguishingFeatures) {

    /** How many distinguishing features a profile lists. */
    public static final int DISTINGUISHING_FEATURES = 5;
    /**
     * The public id of HDBSCAN's noise group: subscribers in no dense region. Never a K-Means id,
     * never matched across retrains, never handed out to a real cluster (those ids start at 0).
     */
    public static final int NOISE_ID = -1;
    public static final String NOISE_NAME = "Outliers (no cluster)";

    public ClusterProfile(int clusterId, String name, int size, double share, Map<String, Double> centroid) {
        this(clusterId, name, size, share, centroid, clusterId, null);
    }

    public ClusterProfile(int clusterId, String name, int size, double share, Map<String, Double> centroid,
            Integer modelClusterId) {
        this(clusterId, name, size, share, centroid, modelClusterId, null);
    }

    /** The id the Tribuo model predicts for this cluster. */
    public int predictedId() {
        return modelClusterId != null ? modelClusterId : clusterId;
    }

    /** Whether this is HDBSCAN's noise group rather than a cluster. */
    @JsonIgnore
    public boolean isNoise() {
        return clusterId == NOISE_ID;
    }

    public ClusterProfile withClusterId(int stableId) {
        return new ClusterProfile(stableId, name, size, share, centroid, predictedId(), distinguishingFeatures);
    }
}
