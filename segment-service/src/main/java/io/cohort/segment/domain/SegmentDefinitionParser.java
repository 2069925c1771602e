package io.cohort.segment.domain;

import io.cohort.contracts.http.FieldViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a {@code POST /v1/segments} body given as plain JSON objects and reports every
 * problem by JSON pointer, so a client can fix them all in one round trip.
 */
public final class SegmentDefinitionParser {

    public static final int MAX_NAME_LENGTH = 200;
    private static final Set<String> PROPERTIES = Set.of("name", "kind", "condition", "clusterId", "holdoutPercent");

    private final ConditionParser conditions;

    public SegmentDefinitionParser(ConditionParser conditions) {
        this.conditions = conditions;
    }

    public Result parse(Object body) {
        List<FieldViolation> errors = new ArrayList<>();
        if (!(body instanceof Map<?, ?> map)) {
            errors.add(new FieldViolation("/", "must be a JSON object"));
            return new Result(null, errors);
        }
        for (Object key : map.keySet()) {
            if (!PROPERTIES.contains(key)) {
                errors.add(new FieldViolation("/" + ConditionParser.escape(String.valueOf(key)),
                        "is not a known property; a segment has name, kind, condition, clusterId or holdoutPercent"));
            }
        }
        String name = name(map.get("name"), errors);
        SegmentKind kind = kind(map.get("kind"), errors);

        Condition condition = null;
        if (map.containsKey("condition")) {
            if (kind == SegmentKind.CLUSTER) {
                errors.add(new FieldViolation("/condition", "is only allowed for kind rule"));
            } else {
                condition = conditions.parse(map.get("condition"), "/condition", errors);
            }
        } else if (kind == SegmentKind.RULE) {
            errors.add(new FieldViolation("/condition", "is required for kind rule"));
        }

        Integer clusterId = null;
        if (map.containsKey("clusterId")) {
            if (kind == SegmentKind.RULE) {
                errors.add(new FieldViolation("/clusterId", "is only allowed for kind cluster"));
            } else {
                clusterId = clusterId(map.get("clusterId"), errors);
            }
        } else if (kind == SegmentKind.CLUSTER) {
            errors.add(new FieldViolation("/clusterId", "is required for kind cluster"));
        }

        double holdoutPercent = map.containsKey("holdoutPercent") ? holdoutPercent(map.get("holdoutPercent"), errors) : 0;

        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        return new Result(new SegmentDefinition(name, kind, condition, clusterId, holdoutPercent), List.of());
    }

    private static String name(Object raw, List<FieldViolation> errors) {
        if (raw == null) {
            errors.add(new FieldViolation("/name", "is required"));
            return null;
        }
        if (!(raw instanceof String s)) {
            errors.add(new FieldViolation("/name", "must be a string"));
            return null;
        }
        String name = s.strip();
        if (name.isEmpty()) {
            errors.add(new FieldViolation("/name", "must not be blank"));
            return null;
        }
        if (name.length() > MAX_NAME_LENGTH) {
            errors.add(new FieldViolation("/name", "must be at most " + MAX_NAME_LENGTH + " characters"));
            return null;
        }
        return name;
    }

    private static SegmentKind kind(Object raw, List<FieldViolation> errors) {
        if (raw == null) {
            errors.add(new FieldViolation("/kind", "is required; must be one of rule, cluster"));
            return null;
        }
        SegmentKind kind = raw instanceof String s ? SegmentKind.fromWire(s).orElse(null) : null;
        if (kind == null) {
            errors.add(new FieldViolation("/kind", "must be one of rule, cluster"));
        }
        return kind;
    }

    private static Integer clusterId(Object raw, List<FieldViolation> errors) {
        if (raw instanceof Integer id && id >= 0) {
            return id;
        }
        errors.add(new FieldViolation("/clusterId", "must be a non-negative integer"));
        return null;
    }

    private static double holdoutPercent(Object raw, List<FieldViolation> errors) {
        if (raw instanceof Number number && !(raw instanceof Float f && f.isNaN())) {
            double percent = number.doubleValue();
            if (percent >= 0 && percent <= SegmentDefinition.MAX_HOLDOUT_PERCENT) {
                return percent;
            }
        }
        errors.add(new FieldViolation("/holdoutPercent", "must be a number from 0 to 50"));
        return 0;
    }

    /** Either a definition or the problems that stop it. */
    public record Result(SegmentDefinition definition, List<FieldViolation> errors) {
        public Result {
            errors = List.copyOf(errors);
        }

        public boolean isValid() {
            return definition != null;
        }
    }
}
