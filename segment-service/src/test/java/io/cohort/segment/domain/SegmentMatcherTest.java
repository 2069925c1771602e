package io.cohort.segment.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentMatcherTest {

    private static final ScoreVersion SCORED = new ScoreVersion(1, Instant.parse("2026-01-01T00:00:00Z"), 1);

    @Test
    void clusterSegmentsMatchTheAssignedCluster() {
        SubscriberView inTwo = SubscriberView.empty("s").withScores(SCORED, 2, "Loyal buyers");
        SubscriberView inThree = SubscriberView.empty("s").withScores(SCORED, 3, null);
        SegmentDefinition cluster2 = SegmentDefinition.cluster("C2", 2);
        assertEquals(new Evaluation(true, "cluster 2 'Loyal buyers'"), SegmentMatcher.evaluate(cluster2, inTwo));
        assertEquals(new Evaluation(false, "cluster 3 is not cluster 2"), SegmentMatcher.evaluate(cluster2, inThree));
        assertEquals(new Evaluation(false, "no cluster assigned; segment is cluster 2"),
                SegmentMatcher.evaluate(cluster2, SubscriberView.empty("s")));
    }

    @Test
    void ruleSegmentsEvaluateTheirConditionOnTheFeatures() {
        SegmentDefinition openers = SegmentDefinition.rule("Openers",
                new Condition.Compare("emails_opened_30d", Operator.GTE, 1));
        SubscriberView view = SubscriberView.empty("s").withFeatures(1, Map.of("emails_opened_30d", 0.0));
        assertEquals(false, SegmentMatcher.evaluate(openers, view).matched());
        assertEquals(true, SegmentMatcher.evaluate(openers, view.withFeatures(2, Map.of("emails_opened_30d", 1.0)))
                .matched());
    }
}
