package io.cohort.segment.domain;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a view keeps of the maps on a feature vector or scores record: entries without a name or a
 * value are dropped, and so are NaN numbers, whichever engine applies the record.
 */
public final class ViewValues {

    private ViewValues() {
    }

    public static Map<String, Double> numbers(Map<String, Double> values) {
        Map<String, Double> copy = new HashMap<>();
        if (values != null) {
            values.forEach((name, value) -> {
                if (name != null && value != null && !value.isNaN()) {
                    copy.put(name, value);
                }
            });
        }
        return copy;
    }

    public static Map<String, String> labels(Map<String, String> labels) {
        Map<String, String> copy = new HashMap<>();
        if (labels != null) {
            labels.forEach((name, value) -> {
                if (name != null && value != null) {
                    copy.put(name, value);
                }
            });
        }
        return copy;
    }

    public static Map<String, List<String>> reasons(Map<String, List<String>> reasons) {
        Map<String, List<String>> copy = new HashMap<>();
        if (reasons != null) {
            reasons.forEach((score, codes) -> {
                if (score != null && codes != null) {
                    copy.put(score, codes.stream().filter(Objects::nonNull).toList());
                }
            });
        }
        return copy;
    }
}
