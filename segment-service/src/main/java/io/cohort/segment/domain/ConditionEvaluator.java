package io.cohort.segment.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a condition against what is known of a subscriber ({@link Facts}: numeric features,
 * labels, scores, cluster). A missing value makes every comparison false (ne included): absence
 * is only observable through {@code exists} and {@code not}. A value of the wrong type (text where
 * a number is tested, or the reverse) also fails. The reason lists each test with its outcome,
 * e.g. {@code emails_opened_30d gte 1 passed}.
 */
public final class ConditionEvaluator {

    private ConditionEvaluator() {
    }

    public static boolean test(Condition condition, Map<String, Double> features) {
        return test(condition, Facts.of(features));
    }

    public static boolean test(Condition condition, Facts facts) {
        if (condition instanceof Condition.All all) {
            return all.conditions().stream().allMatch(c -> test(c, facts));
        }
        if (condition instanceof Condition.Any any) {
            return any.conditions().stream().anyMatch(c -> test(c, facts));
        }
        if (condition instanceof Condition.Not not) {
            return !test(not.condition(), facts);
        }
        Condition.Leaf leaf = (Condition.Leaf) condition;
        return testLeaf(leaf, facts.value(leaf.feature()));
    }

    public static Evaluation evaluate(Condition condition, Map<String, Double> features) {
        return evaluate(condition, Facts.of(features));
    }

    public static Evaluation evaluate(Condition condition, Facts facts) {
        List<String> parts = new ArrayList<>();
        explain(condition, facts, parts);
        return new Evaluation(test(condition, facts), String.join("; ", parts));
    }

    public static Explanation explainTree(Condition condition, Map<String, Double> features, String pointer) {
        return explainTree(condition, Facts.of(features), pointer);
    }

    /**
     * The evaluation tree of {@code condition}, whose JSON pointer in the definition is
     * {@code pointer} (e.g. {@code /condition}); its {@code passed} equals {@link #test}. Score
     * tests carry the model's reason codes for that score when it published them.
     */
    public static Explanation explainTree(Condition condition, Facts facts, String pointer) {
        if (condition instanceof Condition.All all) {
            List<Explanation> children = children(all.conditions(), facts, pointer + "/all");
            return new Explanation.Combinator(pointer, "all", children.stream().allMatch(Explanation::passed),
                    children);
        }
        if (condition instanceof Condition.Any any) {
            List<Explanation> children = children(any.conditions(), facts, pointer + "/any");
            return new Explanation.Combinator(pointer, "any", children.stream().anyMatch(Explanation::passed),
                    children);
        }
        if (condition instanceof Condition.Not not) {
            Explanation inner = explainTree(not.condition(), facts, pointer + "/not");
            return new Explanation.Combinator(pointer, "not", !inner.passed(), List.of(inner));
        }
        Condition.Leaf leaf = (Condition.Leaf) condition;
        Object value = facts.value(leaf.feature());
        List<String> reasons = Source.of(leaf.feature()) == Source.SCORE ? facts.reasons(leaf.feature()) : List.of();
        return new Explanation.Leaf(pointer, leaf.feature(), leaf.op().wireName(), leaf.threshold(), value,
                testLeaf(leaf, value), reasons.isEmpty() ? null : reasons);
    }

    private static List<Explanation> children(List<Condition> conditions, Facts facts, String pointer) {
        List<Explanation> children = new ArrayList<>(conditions.size());
        for (int i = 0; i < conditions.size(); i++) {
            children.add(explainTree(conditions.get(i), facts, pointer + "/" + i));
        }
        return children;
    }

    private static void explain(Condition condition, Facts facts, List<String> parts) {
        if (condition instanceof Condition.All all) {
            all.conditions().forEach(c -> explain(c, facts, parts));
        } else if (condition instanceof Condition.Any any) {
            any.conditions().forEach(c -> explain(c, facts, parts));
        } else if (condition instanceof Condition.Not not) {
            List<String> inner = new ArrayList<>();
            explain(not.condition(), facts, inner);
            parts.add("not (" + String.join("; ", inner) + ")");
        } else {
            Condition.Leaf leaf = (Condition.Leaf) condition;
            Object value = facts.value(leaf.feature());
            String outcome = testLeaf(leaf, value) ? "passed" : "failed";
            parts.add(leaf.describe() + " " + outcome
                    + (value == null && leaf.op() != Operator.EXISTS ? " (no value)" : ""));
        }
    }

    static boolean testLeaf(Condition.Leaf leaf, Object value) {
        if (leaf instanceof Condition.Exists) {
            return value != null;
        }
        if (leaf instanceof Condition.TextCompare t) {
            if (!(value instanceof String s)) {
                return false;
            }
            return t.op() == Operator.EQ ? s.equals(t.value()) : !s.equals(t.value());
        }
        if (leaf instanceof Condition.TextIn t) {
            return value instanceof String s && t.values().contains(s);
        }
        if (!(value instanceof Number number)) {
            return false;
        }
        double v = number.doubleValue();
        if (Double.isNaN(v)) {
            return false;
        }
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
