package io.cohort.segment.domain;

import java.util.List;
import java.util.Map;

/** What a condition reads about one subscriber: a Double for numbers, a String for labels, null when absent. */
@FunctionalInterface
public interface Facts {

    Object value(String name);

    /** The model's reason codes for a score (strongest first); empty when none were published. */
    default List<String> reasons(String score) {
        return List.of();
    }

    /** Numeric features only, looked up by name (labels, scores and cluster are absent). */
    static Facts of(Map<String, Double> features) {
        return features::get;
    }
}
