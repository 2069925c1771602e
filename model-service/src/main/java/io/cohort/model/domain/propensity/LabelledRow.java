package io.cohort.model.domain.propensity;

import java.util.Map;

/** One training or holdout example: a feature vector and its 0/1 outcome. */
public record LabelledRow(Map<String, Double> features, int outcome) {
    public LabelledRow {
        if (outcome != 0 && outcome != 1) {
            throw new IllegalArgumentException("outcome must be 0 or 1");
        }
        features = Map.copyOf(features);
    }
}
