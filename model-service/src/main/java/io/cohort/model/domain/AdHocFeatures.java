package io.cohort.model.domain;

import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.http.FieldViolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the feature map of an ad-hoc scoring request ({@code {"features": {name: number|null}}})
 * into numbers, naming every bad entry by JSON pointer. Absent and null features are left out, and
 * scoring imputes them exactly as training did.
 */
public final class AdHocFeatures {

    private AdHocFeatures() {
    }

    /** The parsed features, or the violations; exactly one of the two is non-empty (or both empty for {}). */
    public record Parsed(Map<String, Double> features, List<FieldViolation> errors) {
    }

    public static Parsed parse(Object body) {
        List<FieldViolation> errors = new ArrayList<>();
        Map<String, Double> features = new LinkedHashMap<>();
        Object raw = body instanceof Map<?, ?> map ? map.get("features") : null;
        if (!(body instanceof Map<?, ?>)) {
            errors.add(new FieldViolation("/", "must be a JSON object with a features object"));
        } else if (!(raw instanceof Map<?, ?> given)) {
            errors.add(new FieldViolation("/features", raw == null ? "is required" : "must be a JSON object"));
        } else {
            for (Map.Entry<?, ?> entry : given.entrySet()) {
                String name = String.valueOf(entry.getKey());
                String pointer = "/features/" + name.replace("~", "~0").replace("/", "~1");
                if (!FeatureNames.ALL.contains(name)) {
                    errors.add(new FieldViolation(pointer, "unknown feature; known: " + String.join(", ", FeatureNames.ALL)));
                } else if (entry.getValue() instanceof Number number && Double.isFinite(number.doubleValue())) {
                    features.put(name, number.doubleValue());
                } else if (entry.getValue() != null) {
                    errors.add(new FieldViolation(pointer, "must be a finite number or null"));
                }
            }
        }
        return errors.isEmpty() ? new Parsed(features, List.of()) : new Parsed(Map.of(), errors);
    }
}
