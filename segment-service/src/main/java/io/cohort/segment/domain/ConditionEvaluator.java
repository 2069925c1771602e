package io.cohort.segment.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a condition against a feature vector. A missing feature makes every comparison false
 * (ne included): absence is only observable through {@code exists} and {@code not}. The reason
 * lists each feature test with its outcome, e.g. {@code emails_opened_30d gte 1 passed}.
 */
public final class ConditionEvaluator {

    private ConditionEvaluator() {
    }

    public static boolean test(Condition condition, Map<String, Double> features) {
        if (condition instanceof Condition.All all) {
            return all.conditions().stream().allMatch(c -> test(c, features));
        }
        if (condition instanceof Condition.Any any) {
            return any.conditions().stream().anyMatch(c -> test(c, features));
        }
        if (condition instanceof Condition.Not not) {
            return !test(not.condition(), features);
        }
        Condition.Leaf leaf = (Condition.Leaf) condition;
        return testLeaf(leaf, features.get(leaf.feature()));
    }

    public static Evaluation evaluate(Condition condition, Map<String, Double> features) {
        List<String> parts = new ArrayList<>();
        explain(condition, features, parts);
        return new Evaluation(test(condition, features), String.join("; ", parts));
    }

    /**
     * The evaluation tree of {@code condition}, whose JSON pointer in the definition is
     * {@code pointer} (e.g. {@code /condition}); its {@code passed} equals {@link #test}.
     */
    public static Explanation explainTree(Condition condition, Map<String, Double> features, String pointer) {
        if (condition instanceof Condition.All all) {
            List<Explanation> children = children(all.conditions(), features, pointer + "/all");
            return new Explanation.Combinator(pointer, "all", children.stream().allMatch(Explanation::passed),
                    children);
        }
        if (condition instanceof Condition.Any any) {
            List<Explanation> children = children(any.conditions(), features, pointer + "/any");
            return new Explanation.Combinator(pointer, "any", children.stream().anyMatch(Explanation::passed),
                    children);
        }
        if (condition instanceof Condition.Not not) {
            Explanation inner = explainTree(not.condition(), features, pointer + "/not");
            return new Explanation.Combinator(pointer, "not", !inner.passed(), List.of(inner));
        }
        Condition.Leaf leaf = (Condition.Leaf) condition;
        Double value = features.get(leaf.feature());
        return new Explanation.Leaf(pointer, leaf.feature(), leaf.op().wireName(), leaf.threshold(), value,
                testLeaf(leaf, value));
    }

    private static List<Explanation> children(List<Condition> conditions, Map<String, Double> features,
            String pointer) {
        List<Explanation> children = new ArrayList<>(conditions.size());
        for (int i = 0; i < conditions.size(); i++) {
            children.add(explainTree(conditions.get(i), features, pointer + "/" + i));
        }
        return children;
    }

    private static void explain(Condition condition, Map<String, Double> features, List<String> parts) {
        if (condition instanceof Condition.All all) {
            all.conditions().forEach(c -> explain(c, features, parts));
        } else if (condition instanceof Condition.Any any) {
            any.conditions().forEach(c -> explain(c, features, parts));
        } else if (condition instanceof Condition.Not not) {
            List<String> inner = new ArrayList<>();
            explain(not.condition(), features, inner);
            parts.add("not (" + String.join("; ", inner) + ")");
        } else {
            Condition.Leaf leaf = (Condition.Leaf) condition;
            Double value = features.get(leaf.feature());
            String outcome = testLeaf(leaf, value) ? "passed" : "failed";
            parts.add(leaf.describe() + " " + outcome
                    + (value == null && leaf.op() != Operator.EXISTS ? " (no value)" : ""));
        }
    }

    private static boolean testLeaf(Condition.Leaf leaf, Double value) {
        if (leaf instanceof Condition.Exists) {
            return value != null;
        }
        if (value == null || value.isNaN()) {
            return false;
        }
        double v = value;
        if (leaf instanceof Condition.In in) {
            return in.values().stream().anyMatch(candidate -> candidate == v);
        }
        if (leaf instanceof Condition.Between b) {
            return v >= b.low() && v <= b.high();
        }
        Condition.Compare c = (Condition.Compare) leaf;
        return switch (c.op()) {
            case EQ -> v == c.value();
            case NE -> v != c.value();
            case GT -> v > c.value();
            case GTE -> v >= c.value();
            case LT -> v < c.value();
            case LTE -> v <= c.value();
            default -> throw new IllegalStateException("not a scalar comparison: " + c.op());
        };
    }
}
