package io.cohort.segment.domain;

import java.util.List;
import java.util.Map;

/** Decides whether a subscriber view belongs to a segment, and says why in words. */
public final class SegmentMatcher {

    private SegmentMatcher() {
    }

    public static Evaluation evaluate(SegmentDefinition segment, SubscriberView view) {
        return evaluate(segment, null, view);
    }

    public static Evaluation evaluate(Segment segment, SubscriberView view) {
        return evaluate(segment.definition(), segment.cutoff(), view);
    }

    /** {@code cutoff}: the top-N% threshold in force for a predictive segment (ignored otherwise). */
    public static Evaluation evaluate(SegmentDefinition segment, Double cutoff, SubscriberView view) {
        return switch (segment.kind()) {
            case RULE -> ConditionEvaluator.evaluate(segment.condition(), view);
            case CLUSTER -> cluster(segment.clusterId(), view);
            case PREDICTIVE -> predictive(segment, cutoff, view);
            case LOOKALIKE -> evaluateLookalike(segment, null, view);
        };
    }

    /** Whether the view belongs to the segment; the same answer as {@link #evaluate}, without building the reason. */
    public static boolean matches(Segment segment, SubscriberView view) {
        SegmentDefinition definition = segment.definition();
        return switch (definition.kind()) {
            case RULE -> ConditionEvaluator.test(definition.condition(), view);
            case CLUSTER -> view.clusterId() != null && view.clusterId().intValue() == definition.clusterId();
            case PREDICTIVE -> scorePasses(score(view, definition.predictive().score()),
                    definition.predictive().effectiveThreshold(segment.cutoff()))
                    && (definition.condition() == null || ConditionEvaluator.test(definition.condition(), view));
            case LOOKALIKE -> matchesLookalike(definition, null, view);
        };
    }

    public static Explanation explain(SegmentDefinition segment, SubscriberView view) {
        return explain(segment, null, view);
    }

    public static Explanation explain(Segment segment, SubscriberView view) {
        return explain(segment.definition(), segment.cutoff(), view);
    }

    /** The per-condition evaluation tree; {@code passed()} agrees with {@link #evaluate}. */
    public static Explanation explain(SegmentDefinition segment, Double cutoff, SubscriberView view) {
        if (segment.kind() == SegmentKind.RULE) {
            return ConditionEvaluator.explainTree(segment.condition(), view, "/condition");
        }
        if (segment.kind() == SegmentKind.PREDICTIVE) {
            Predictive p = segment.predictive();
            Double threshold = p.effectiveThreshold(cutoff);
            Double value = score(view, p.score());
            boolean scorePassed = scorePasses(value, threshold);
            Explanation condition = segment.condition() == null ? null
                    : ConditionEvaluator.explainTree(segment.condition(), view, "/condition");
            return new Explanation.Predictive(p.score(), value, threshold, p.topPercent(),
                    scorePassed && (condition == null || condition.passed()), view.reasons(p.score()), condition);
        }
        if (segment.kind() == SegmentKind.LOOKALIKE) {
            return explainLookalike(segment, null, Map.of(), view);
        }
        int wanted = segment.clusterId();
        return new Explanation.Cluster(wanted, view.clusterId(),
                view.clusterId() != null && view.clusterId() == wanted);
    }

    private static Evaluation predictive(SegmentDefinition segment, Double cutoff, SubscriberView view) {
        Predictive p = segment.predictive();
        Double threshold = p.effectiveThreshold(cutoff);
        Double value = score(view, p.score());
        boolean passed = scorePasses(value, threshold);
        StringBuilder reason = new StringBuilder(p.score()).append(" ");
        reason.append(value == null ? "(no value)" : Condition.number(value).toString());
        reason.append(threshold == null ? " vs no cutoff yet" : " gte " + Condition.number(threshold));
        if (p.isTopPercent()) {
            reason.append(" (top ").append(Condition.number(p.topPercent())).append("%)");
        }
        reason.append(passed ? " passed" : " failed");
        List<String> reasons = view.reasons(p.score());
        if (!reasons.isEmpty()) {
            reason.append("; reasons: ").append(String.join(", ", reasons));
        }
        if (segment.condition() != null) {
            Evaluation condition = ConditionEvaluator.evaluate(segment.condition(), view);
            passed &= condition.matched();
            reason.append("; ").append(condition.reason());
        }
        return new Evaluation(passed, reason.toString());
    }

    /**
     * A lookalike segment's test: the subscriber is among the items model-service returned
     * ({@code similarity} non-null) and passes the optional condition.
     */
    public static boolean matchesLookalike(SegmentDefinition segment, Double similarity, SubscriberView view) {
        return similarity != null && (segment.condition() == null || ConditionEvaluator.test(segment.condition(), view));
    }

    public static Evaluation evaluateLookalike(SegmentDefinition segment, Double similarity, SubscriberView view) {
        Lookalike l = segment.lookalike();
        StringBuilder reason = new StringBuilder("lookalike of segment ").append(l.seedSegmentId());
        boolean passed = similarity != null;
        reason.append(passed ? ": similarity " + Condition.number(similarity) + " among the nearest " + l.targetSize()
                : ": not among the nearest " + l.targetSize());
        if (segment.condition() != null) {
            Evaluation condition = ConditionEvaluator.evaluate(segment.condition(), view);
            passed &= condition.matched();
            reason.append("; ").append(condition.reason());
        }
        return new Evaluation(passed, reason.toString());
    }

    /** {@code summary}: model-service's method and evaluation as stored with the segment ({@link LookalikeResult#summary}). */
    public static Explanation explainLookalike(SegmentDefinition segment, Double similarity, Map<String, Object> summary,
            SubscriberView view) {
        Lookalike l = segment.lookalike();
        Explanation condition = segment.condition() == null ? null
                : ConditionEvaluator.explainTree(segment.condition(), view, "/condition");
        return new Explanation.Lookalike(l.seedSegmentId().toString(), l.targetSize(), similarity,
                summary == null ? null : (String) summary.get("method"), summary == null ? null : summary.get("evaluation"),
                similarity != null && (condition == null || condition.passed()), condition);
    }

    static boolean scorePasses(Double value, Double threshold) {
        return value != null && threshold != null && !value.isNaN() && value >= threshold;
    }

    private static Double score(SubscriberView view, String name) {
        return view.scores().get(name);
    }

    private static Evaluation cluster(int wanted, SubscriberView view) {
        Integer actual = view.clusterId();
        if (actual == null) {
            return new Evaluation(false, "no cluster assigned; segment is cluster " + wanted);
        }
        String described = "cluster " + actual + (view.clusterName() == null ? "" : " '" + view.clusterName() + "'");
        if (actual == wanted) {
            return new Evaluation(true, described);
        }
        return new Evaluation(false, described + " is not cluster " + wanted);
    }
}
