package io.cohort.segment.domain;

import io.cohort.contracts.ScoreNames;
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
    private static final Set<String> PROPERTIES = Set.of("name", "kind", "condition", "clusterId", "holdoutPercent",
            "score", "threshold", "topPercent", "actions", "seedSegmentId", "targetSize");
    private static final Set<String> ACTION_PROPERTIES = Set.of("priority", "contentKey", "subjectLines", "offer",
            "cadence", "sendTime");
    public static final int MAX_SUBJECT_LINES = 10;

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
                        "is not a known property; a segment has name, kind, condition, clusterId, score, threshold, "
                                + "topPercent, seedSegmentId, targetSize, holdoutPercent or actions"));
            }
        }
        String name = name(map.get("name"), errors);
        SegmentKind kind = kind(map.get("kind"), errors);

        Condition condition = null;
        if (map.containsKey("condition")) {
            if (kind == SegmentKind.CLUSTER) {
                errors.add(new FieldViolation("/condition", "is only allowed for kinds rule, predictive and lookalike"));
            } else {
                condition = conditions.parse(map.get("condition"), "/condition", errors);
            }
        } else if (kind == SegmentKind.RULE) {
            errors.add(new FieldViolation("/condition", "is required for kind rule"));
        }

        Integer clusterId = null;
        if (map.containsKey("clusterId")) {
            if (kind != SegmentKind.CLUSTER && kind != null) {
                errors.add(new FieldViolation("/clusterId", "is only allowed for kind cluster"));
            } else {
                clusterId = clusterId(map.get("clusterId"), errors);
            }
        } else if (kind == SegmentKind.CLUSTER) {
            errors.add(new FieldViolation("/clusterId", "is required for kind cluster"));
        }

        Predictive predictive = null;
        if (kind == SegmentKind.PREDICTIVE) {
            predictive = predictive(map, errors);
        } else {
            for (String key : List.of("score", "threshold", "topPercent")) {
                if (map.containsKey(key)) {
                    errors.add(new FieldViolation("/" + key, "is only allowed for kind predictive"));
                }
            }
        }

        Lookalike lookalike = null;
        if (kind == SegmentKind.LOOKALIKE) {
            lookalike = lookalike(map, errors);
        } else {
            for (String key : List.of("seedSegmentId", "targetSize")) {
                if (map.containsKey(key)) {
                    errors.add(new FieldViolation("/" + key, "is only allowed for kind lookalike"));
                }
            }
        }

        double holdoutPercent = map.containsKey("holdoutPercent") ? holdoutPercent(map.get("holdoutPercent"), errors) : 0;
        Actions actions = map.containsKey("actions") ? actions(map.get("actions"), errors) : null;

        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        return new Result(new SegmentDefinition(name, kind, condition, clusterId, holdoutPercent, predictive, actions,
                lookalike),
                List.of());
    }

    private static Predictive predictive(Map<?, ?> map, List<FieldViolation> errors) {
        int before = errors.size();
        Object score = map.get("score");
        if (!(score instanceof String s) || !ScoreNames.ALL.contains(s)) {
            errors.add(new FieldViolation("/score", (score == null ? "is required; " : "") + "must be one of "
                    + String.join(", ", ScoreNames.ALL)));
        }
        boolean hasThreshold = map.containsKey("threshold");
        boolean hasTop = map.containsKey("topPercent");
        Double threshold = null;
        Double top = null;
        if (hasThreshold == hasTop) {
            errors.add(new FieldViolation("/threshold", "exactly one of threshold and topPercent is required"));
        } else if (hasThreshold) {
            threshold = finite(map.get("threshold"));
            if (threshold == null) {
                errors.add(new FieldViolation("/threshold", "must be a number"));
            }
        } else {
            top = finite(map.get("topPercent"));
            if (top == null || !(top > 0 && top <= 100)) {
                errors.add(new FieldViolation("/topPercent", "must be a number above 0 and at most 100"));
                top = null;
            }
        }
        return errors.size() == before ? new Predictive((String) score, threshold, top) : null;
    }

    private static Lookalike lookalike(Map<?, ?> map, List<FieldViolation> errors) {
        int before = errors.size();
        java.util.UUID seed = null;
        Object rawSeed = map.get("seedSegmentId");
        if (rawSeed instanceof String s) {
            try {
                seed = java.util.UUID.fromString(s);
            } catch (IllegalArgumentException e) {
                seed = null;
            }
        }
        if (seed == null) {
            errors.add(new FieldViolation("/seedSegmentId", (rawSeed == null ? "is required; " : "")
                    + "must be the id of an existing segment"));
        }
        Object size = map.get("targetSize");
        if (!(size instanceof Integer n && n >= 1 && n <= Lookalike.MAX_TARGET_SIZE)) {
            errors.add(new FieldViolation("/targetSize", (size == null ? "is required; " : "")
                    + "must be an integer from 1 to " + Lookalike.MAX_TARGET_SIZE));
        }
        return errors.size() == before ? new Lookalike(seed, (Integer) size) : null;
    }

    private static Actions actions(Object raw, List<FieldViolation> errors) {
        if (!(raw instanceof Map<?, ?> map)) {
            errors.add(new FieldViolation("/actions", "must be a JSON object"));
            return null;
        }
        int before = errors.size();
        for (Object key : map.keySet()) {
            if (!ACTION_PROPERTIES.contains(key)) {
                errors.add(new FieldViolation("/actions/" + ConditionParser.escape(String.valueOf(key)),
                        "is not a known property; actions have priority, contentKey, subjectLines, offer, cadence "
                                + "and sendTime"));
            }
        }
        int priority = 0;
        if (map.containsKey("priority")) {
            if (map.get("priority") instanceof Integer p) {
                priority = p;
            } else {
                errors.add(new FieldViolation("/actions/priority", "must be an integer (higher wins)"));
            }
        }
        String contentKey = shortText(map.get("contentKey"), "/actions/contentKey", true, errors);
        String offer = map.containsKey("offer") ? shortText(map.get("offer"), "/actions/offer", true, errors) : null;
        List<String> subjects = new ArrayList<>();
        if (map.containsKey("subjectLines")) {
            if (!(map.get("subjectLines") instanceof List<?> list) || list.isEmpty()
                    || list.size() > MAX_SUBJECT_LINES) {
                errors.add(new FieldViolation("/actions/subjectLines", "must be an array of 1 to "
                        + MAX_SUBJECT_LINES + " strings"));
            } else {
                for (int i = 0; i < list.size(); i++) {
                    subjects.add(shortText(list.get(i), "/actions/subjectLines/" + i, true, errors));
                }
            }
        }
        Actions.Cadence cadence = null;
        if (map.containsKey("cadence")) {
            if (map.get("cadence") instanceof Map<?, ?> c && c.get("maxSends") instanceof Integer max && max >= 1
                    && c.get("perDays") instanceof Integer days && days >= 1 && days <= 365 && c.size() == 2) {
                cadence = new Actions.Cadence(max, days);
            } else {
                errors.add(new FieldViolation("/actions/cadence",
                        "must be {\"maxSends\": integer ≥ 1, \"perDays\": integer 1-365}"));
            }
        }
        Actions.SendTime sendTime = Actions.SendTime.DEFAULT;
        if (map.containsKey("sendTime")) {
            sendTime = sendTime(map.get("sendTime"), errors);
        }
        return errors.size() == before ? new Actions(priority, contentKey, subjects, offer, cadence, sendTime) : null;
    }

    private static Actions.SendTime sendTime(Object raw, List<FieldViolation> errors) {
        if (raw instanceof Map<?, ?> m && m.keySet().stream().allMatch(k -> k.equals("policy") || k.equals("hourUtc"))) {
            Object policy = m.get("policy");
            Object hour = m.containsKey("hourUtc") ? m.get("hourUtc") : Actions.SendTime.DEFAULT_HOUR_UTC;
            boolean hourOk = hour instanceof Integer h && h >= 0 && h <= 23;
            if (Actions.SendTime.MODEL.equals(policy) && hourOk) {
                return new Actions.SendTime(Actions.SendTime.MODEL, (Integer) hour);
            }
            if (Actions.SendTime.FIXED.equals(policy) && hourOk && m.containsKey("hourUtc")) {
                return new Actions.SendTime(Actions.SendTime.FIXED, (Integer) hour);
            }
        }
        errors.add(new FieldViolation("/actions/sendTime", "must be {\"policy\": \"model\", \"hourUtc\"?: fallback 0-23} "
                + "or {\"policy\": \"fixed\", \"hourUtc\": 0-23}"));
        return null;
    }

    private static String shortText(Object raw, String pointer, boolean required, List<FieldViolation> errors) {
        if (raw == null && !required) {
            return null;
        }
        if (!(raw instanceof String s) || s.isBlank() || s.length() > MAX_NAME_LENGTH) {
            errors.add(new FieldViolation(pointer, (raw == null ? "is required; " : "") + "must be a non-blank string of at most "
                    + MAX_NAME_LENGTH + " characters"));
            return null;
        }
        return s;
    }

    private static Double finite(Object raw) {
        if (raw instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        return null;
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
            errors.add(new FieldViolation("/kind", "is required; must be one of " + SegmentKind.CHOICES));
            return null;
        }
        SegmentKind kind = raw instanceof String s ? SegmentKind.fromWire(s).orElse(null) : null;
        if (kind == null) {
            errors.add(new FieldViolation("/kind", "must be one of " + SegmentKind.CHOICES));
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
