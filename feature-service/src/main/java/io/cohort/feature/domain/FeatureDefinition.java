package io.cohort.feature.domain;

/** One entry of the feature catalogue: what a feature in the vector means. */
public record FeatureDefinition(String name, String type, String unit, String window, String definition) {
}
