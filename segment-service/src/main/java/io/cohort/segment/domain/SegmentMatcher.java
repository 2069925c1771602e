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
