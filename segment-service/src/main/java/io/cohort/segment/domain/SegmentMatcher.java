package io.cohort.segment.domain;

import java.util.List;

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
