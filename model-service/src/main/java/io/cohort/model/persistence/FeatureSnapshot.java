package io.cohort.model.persistence;

import java.util.Map;

/** The newest feature vector stored for a subscriber. */
public record FeatureSnapshot(String subscriberId, long version, Map<String, Double> features) {
}
