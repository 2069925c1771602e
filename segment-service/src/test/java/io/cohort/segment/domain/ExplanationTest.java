package io.cohort.segment.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExplanationTest {

    private static final Condition TREE = new Condition.All(List.of(
            new Condition.Compare("emails_opened_30d", Operator.GTE, 2),
            new Condition.Any(List.of(
                    new Condition.In("orders_90d", List.of(1.0, 2.5)),
                    new Condition.Between("days_since_last_open", 0, 7))),
            new Condition.Not(new Condition.Exists("emails_clicked_30d"))));

    @Test
    void everyNodeCarriesItsPointerValueThresholdAndResult() {
        Map<String, Double> features = Map.of("emails_opened_30d", 3.0, "days_since_last_open", 9.0,
                "emails_clicked_30d", 1.0);
        Explanation tree = ConditionEvaluator.explainTree(TREE, features, "/condition");
        Explanation expected = new Explanation.Combinator("/condition", "all", false, List.of(
                new Explanation.Leaf("/condition/all/0", "emails_opened_30d", "gte", 2, 3.0, true),
                new Explanation.Combinator("/condition/all/1", "any", false, List.of(
                        new Explanation.Leaf("/condition/all/1/any/0", "orders_90d", "in", List.of(1, 2.5), null,
                                false),
                        new Explanation.Leaf("/condition/all/1/any/1", "days_since_last_open", "between",
                                List.of(0, 7), 9.0, false))),
                new Explanation.Combinator("/condition/all/2", "not", false, List.of(
                        new Explanation.Leaf("/condition/all/2/not", "emails_clicked_30d", "exists", null, 1.0,
                                true)))));
        assertEquals(expected, tree);
        assertEquals(ConditionEvaluator.test(TREE, features), tree.passed());
    }

    @Test
    void theRootResultAlwaysAgreesWithTheEvaluator() {
        List<Map<String, Double>> cases = List.of(Map.of(), Map.of("emails_opened_30d", 2.0, "orders_90d", 1.0),
                Map.of("emails_opened_30d", 2.0, "days_since_last_open", 7.0),
                Map.of("emails_opened_30d", 2.0, "orders_90d", 2.5, "emails_clicked_30d", 0.0));
        for (Map<String, Double> features : cases) {
            assertEquals(ConditionEvaluator.test(TREE, features),
                    ConditionEvaluator.explainTree(TREE, features, "/condition").passed(), features.toString());
        }
        assertEquals(true, ConditionEvaluator.explainTree(TREE, cases.get(2), "/condition").passed());
    }

    @Test
    void clusterSegmentsExplainBothClusters() {
        ScoreVersion scored = new ScoreVersion(1, Instant.parse("2026-01-01T00:00:00Z"), 1);
        SegmentDefinition two = SegmentDefinition.cluster("C2", 2);
        assertEquals(new Explanation.Cluster(2, 2, true),
                SegmentMatcher.explain(two, SubscriberView.empty("s").withScores(scored, 2, "x")));
        assertEquals(new Explanation.Cluster(2, 3, false),
                SegmentMatcher.explain(two, SubscriberView.empty("s").withScores(scored, 3, "x")));
        assertEquals(new Explanation.Cluster(2, null, false), SegmentMatcher.explain(two, SubscriberView.empty("s")));
    }
}
