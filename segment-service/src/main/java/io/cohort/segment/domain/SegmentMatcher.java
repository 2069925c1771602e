package io.cohort.segment.domain;

/** Decides whether a subscriber view belongs to a segment, and says why in words. */
public final class SegmentMatcher {

    private SegmentMatcher() {
    }

    public static Evaluation evaluate(SegmentDefinition segment, SubscriberView view) {
        return segment.kind() == SegmentKind.RULE
                ? ConditionEvaluator.evaluate(segment.condition(), view.features())
                : cluster(segment.clusterId(), view);
    }

    /** The per-condition evaluation tree; {@code passed()} agrees with {@link #evaluate}. */
    public static Explanation explain(SegmentDefinition segment, SubscriberView view) {
        if (segment.kind() == SegmentKind.RULE) {
            return ConditionEvaluator.explainTree(segment.condition(), view.features(), "/condition");
        }
        int wanted = segment.clusterId();
        return new Explanation.Cluster(wanted, view.clusterId(),
                view.clusterId() != null && view.clusterId() == wanted);
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
