package io.cohort.segment.domain;

import static io.cohort.segment.domain.Json.leaf;
import static io.cohort.segment.domain.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.ScoreNames;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PredictiveTest {

    private static final SegmentDefinitionParser PARSER = new SegmentDefinitionParser(ConditionParser.standard());
    private static final ScoreVersion SCORED = new ScoreVersion(1, Instant.parse("2026-03-01T00:00:00Z"), 1);

    private static SubscriberView scored(String id, Double churn, Map<String, Double> features) {
        return SubscriberView.empty(id).withFeatures(1, features, Map.of(), null).withScores(SCORED, null, null,
                churn == null ? Map.of() : Map.of(ScoreNames.CHURN_90D, churn),
                Map.of(ScoreNames.CHURN_90D, List.of("days_since_last_open", "emails_opened_90d")));
    }

    @Test
    void parsesThresholdAndTopPercentAndRendersThemBack() {
        var threshold = PARSER.parse(obj("name", "Churners", "kind", "predictive", "score", "churn.90d",
                "threshold", 0.7));
        assertTrue(threshold.isValid(), threshold.errors().toString());
        assertEquals(new Predictive("churn.90d", 0.7, null), threshold.definition().predictive());
        assertEquals(Map.of("name", "Churners", "kind", "predictive", "score", "churn.90d", "threshold", 0.7,
                "holdoutPercent", 0), threshold.definition().toJson());

        var top = PARSER.parse(obj("name", "Top", "kind", "predictive", "score", "propensity.clicked_7d",
                "topPercent", 10, "condition", leaf("suppressed", "eq", 0)));
        assertTrue(top.isValid(), top.errors().toString());
        assertTrue(top.definition().predictive().isTopPercent());
        assertEquals(new Condition.Compare("suppressed", Operator.EQ, 0), top.definition().condition());
    }

    @Test
    void reportsEveryPredictiveProblem() {
        assertEquals(List.of("/score", "/threshold"), pointers(obj("name", "p", "kind", "predictive")));
        assertEquals(List.of("/score", "/threshold"), pointers(obj("name", "p", "kind", "predictive",
                "score", "p_click", "threshold", 0.5, "topPercent", 5)));
        assertEquals(List.of("/topPercent"), pointers(obj("name", "p", "kind", "predictive", "score", "churn.90d",
                "topPercent", 0)));
        assertEquals(List.of("/topPercent"), pointers(obj("name", "p", "kind", "predictive", "score", "churn.90d",
                "topPercent", 101)));
        assertEquals(List.of("/threshold"), pointers(obj("name", "p", "kind", "predictive", "score", "churn.90d",
                "threshold", "high")));
        assertEquals(List.of("/clusterId"), pointers(obj("name", "p", "kind", "predictive", "score", "churn.90d",
                "threshold", 0.5, "clusterId", 1)));
        assertEquals(List.of("/score", "/threshold"), pointers(obj("name", "r", "kind", "rule",
                "condition", leaf("orders_90d", "eq", 1), "score", "churn.90d", "threshold", 1)));
    }

    private static List<String> pointers(Object body) {
        var result = PARSER.parse(body);
        assertFalse(result.isValid());
        return result.errors().stream().map(FieldViolation::pointer).toList();
    }

    @Test
    void aThresholdSegmentTestsTheScoreAndExplainsWithReasonCodes() {
        SegmentDefinition churners = SegmentDefinition.predictive("Churners", new Predictive(ScoreNames.CHURN_90D, 0.7,
                null), null);
        assertTrue(SegmentMatcher.evaluate(churners, scored("a", 0.7, Map.of())).matched());
        assertFalse(SegmentMatcher.evaluate(churners, scored("b", 0.69, Map.of())).matched());
        assertFalse(SegmentMatcher.evaluate(churners, scored("c", null, Map.of())).matched(), "unscored");
        Evaluation evaluation = SegmentMatcher.evaluate(churners, scored("a", 0.9, Map.of()));
        assertEquals("churn.90d 0.9 gte 0.7 passed; reasons: days_since_last_open, emails_opened_90d",
                evaluation.reason());
        assertEquals(new Explanation.Predictive("churn.90d", 0.9, 0.7, null, true,
                List.of("days_since_last_open", "emails_opened_90d"), null),
                SegmentMatcher.explain(churners, scored("a", 0.9, Map.of())));
    }

    @Test
    void theOptionalConditionMustPassToo() {
        Condition notSuppressed = new Condition.Compare("suppressed", Operator.EQ, 0);
        SegmentDefinition churners = SegmentDefinition.predictive("C", new Predictive(ScoreNames.CHURN_90D, 0.5, null),
                notSuppressed);
        assertTrue(SegmentMatcher.evaluate(churners, scored("a", 0.9, Map.of("suppressed", 0.0))).matched());
        assertFalse(SegmentMatcher.evaluate(churners, scored("a", 0.9, Map.of("suppressed", 1.0))).matched());
        Explanation.Predictive explained = (Explanation.Predictive) SegmentMatcher.explain(churners,
                scored("a", 0.9, Map.of("suppressed", 1.0)));
        assertFalse(explained.passed());
        assertFalse(explained.condition().passed());
    }

    @Test
    void topPercentUsesTheCutoffInForce() {
        double[] scores = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0};
        assertEquals(0.9, Predictive.cutoff(scores, 10));
        assertEquals(0.8, Predictive.cutoff(scores, 15), "ceil(1.5) = rank 2");
        assertEquals(0.0, Predictive.cutoff(scores, 100));
        assertEquals(0.9, Predictive.cutoff(scores, 0.01), "at least one member");
        assertNull(Predictive.cutoff(new double[0], 10));

        SegmentDefinition top20 = SegmentDefinition.predictive("Top", new Predictive(ScoreNames.CHURN_90D, null, 20.0),
                null);
        Segment segment = new Segment(UUID.randomUUID(), 1, Instant.EPOCH, top20).withCutoff(
                Predictive.cutoff(scores, 20));
        assertTrue(SegmentMatcher.evaluate(segment, scored("a", 0.8, Map.of())).matched());
        assertFalse(SegmentMatcher.evaluate(segment, scored("b", 0.75, Map.of())).matched());
        assertFalse(SegmentMatcher.evaluate(top20, scored("a", 0.99, Map.of())).matched(), "no cutoff yet: nobody");
        // a sweep moving the cutoff moves the membership
        assertTrue(SegmentMatcher.evaluate(segment.withCutoff(0.7), scored("b", 0.75, Map.of())).matched());
        for (double value : new double[] {0.5, 0.75, 0.8, 0.95}) {
            for (Segment s : List.of(segment, segment.withCutoff(0.7), segment.withCutoff(null))) {
                assertEquals(SegmentMatcher.evaluate(s, scored("x", value, Map.of())).matched(),
                        SegmentMatcher.matches(s, scored("x", value, Map.of())));
            }
        }
        Explanation.Predictive explained = (Explanation.Predictive) SegmentMatcher.explain(segment,
                scored("a", 0.8, Map.of()));
        assertEquals(0.8, explained.threshold());
        assertEquals(20.0, explained.topPercent());
    }

    @Test
    void theShareInTheTopPercentIsThePercentForDistinctScores() {
        java.util.Random random = new java.util.Random(7);
        double[] scores = random.doubles(10_000).boxed().sorted(java.util.Comparator.reverseOrder())
                .mapToDouble(Double::doubleValue).toArray();
        Double cutoff = Predictive.cutoff(scores, 5);
        long in = java.util.Arrays.stream(scores).filter(s -> s >= cutoff).count();
        assertEquals(500, in);
    }
}
