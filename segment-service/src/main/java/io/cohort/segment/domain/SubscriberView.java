package io.cohort.segment.domain;

import java.util.Map;

/**
 * What segment-service knows about one subscriber: the newest feature vector and the newest
 * scores (cluster assignment) it has applied. Either half may still be missing.
 */
public record SubscriberView(
        String subscriberId,
        Long featureVersion,
        Map<String, Double> features,
        ScoreVersion scoreVersion,
        Integer clusterId,
        String clusterName) {

    public SubscriberView {
        features = features == null ? Map.of() : Map.copyOf(features);
    }

    public static SubscriberView empty(String subscriberId) {
        return new SubscriberView(subscriberId, null, Map.of(), null, null, null);
    }

    public SubscriberView withFeatures(long version, Map<String, Double> newFeatures) {
        return new SubscriberView(subscriberId, version, newFeatures, scoreVersion, clusterId, clusterName);
    }

    public SubscriberView withScores(ScoreVersion version, Integer newClusterId, String newClusterName) {
        return new SubscriberView(subscriberId, featureVersion, features, version, newClusterId, newClusterName);
    }

    /** Whether a feature vector with this version would replace what the view holds. */
    public boolean acceptsFeatureVersion(long version) {
        return featureVersion == null || version > featureVersion;
    }
}
