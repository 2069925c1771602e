package io.cohort.model.domain;

import java.util.List;
import java.util.Map;

/**
 * A loaded non-clustering model version: turns one subscriber's feature vector into named scores
 * ({@link io.cohort.contracts.ScoreNames}) and, where the model can explain itself, reason codes.
 */
public interface SubscriberPredictor {

    Prediction predict(Map<String, Double> features);

    /** Named outputs (no NaN; a score that cannot be computed is left out) and per-score reasons. */
    record Prediction(Map<String, Double> scores, Map<String, List<String>> reasons) {

        public static Prediction empty() {
            return new Prediction(Map.of(), Map.of());
        }
    }
}
