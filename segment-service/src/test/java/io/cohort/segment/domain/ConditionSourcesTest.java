package io.cohort.segment.domain;

import static io.cohort.segment.domain.Json.arr;
import static io.cohort.segment.domain.Json.leaf;
import static io.cohort.segment.domain.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.ScoreNames;
import io.cohort.contracts.http.FieldViolation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Conditions over every source: numeric features and families, labels, scores, cluster, event windows. */
class ConditionSourcesTest {

    private static final ConditionParser PARSER = ConditionParser.standard();
    private static final ScoreVersion SCORED = new ScoreVersion(1, Instant.parse("2026-03-01T00:00:00Z"), 1);

    static Condition parse(Object raw) {
        List<FieldViolation> errors = new ArrayList<>();
        Condition condition = PARSER.parse(raw, "/condition", errors);
        assertTrue(errors.isEmpty(), errors.toString());
        return condition;
    }

    static Map<String, String> errors(Object raw) {
        List<FieldViolation> errors = new ArrayList<>();
        assertNull(PARSER.parse(raw, "/condition", errors));
        Map<String, String> byPointer = new LinkedHashMap<>();
        errors.forEach(e -> byPointer.merge(e.pointer(), e.message(), (a, b) -> a + " | " + b));
        return byPointer;
    }

    static SubscriberView view(Map<String, Double> features, Map<String, String> labels, Map<String, Double> scores,
            Integer cluster) {
        return SubscriberView.empty("s").withFeatures(1, features, labels, null)
                .withScores(SCORED, cluster, null, scores, Map.of(ScoreNames.CHURN_90D, List.of("days_since_last_open")));
    }

    @Test
    void labelsAreTextWithEqNeInAndExists() {
        SubscriberView champion = view(Map.of(), Map.of(FeatureNames.RFM_GROUP, "Champions",
                FeatureNames.LIFECYCLE_STAGE, "customer"), Map.of(), null);
        SubscriberView none = view(Map.of(), Map.of(), Map.of(), null);
        Condition eq = parse(leaf("rfm_group", "eq", "Champions"));
        Condition in = parse(leaf("rfm_group", "in", arr("Loyal", "Champions")));
        Condition ne = parse(leaf("lifecycle_stage", "ne", "lead"));
        Condition exists = parse(obj("feature", "rfm_group", "op", "exists"));
        assertTrue(ConditionEvaluator.test(eq, champion));
        assertTrue(ConditionEvaluator.test(in, champion));
        assertTrue(ConditionEvaluator.test(ne, champion));
        assertTrue(ConditionEvaluator.test(exists, champion));
        // a missing label fails every test but not(exists), as for numbers
        assertFalse(ConditionEvaluator.test(eq, none));
        assertFalse(ConditionEvaluator.test(in, none));
        assertFalse(ConditionEvaluator.test(ne, none));
        assertFalse(ConditionEvaluator.test(exists, none));
        assertFalse(ConditionEvaluator.test(parse(leaf("rfm_group", "eq", "Lost")), champion));
        assertEquals(Map.of("feature", "rfm_group", "op", "in", "value", List.of("Loyal", "Champions")), in.toJson());
    }

    @Test
    void labelValuesAndOperatorsAreValidated() {
        assertEquals(Map.of(
                "/condition/all/0/value", "must be one of " + String.join(", ", FeatureNames.RFM_GROUPS),
                "/condition/all/1/value/1", "must be one of " + String.join(", ", FeatureNames.RFM_GROUPS),
                "/condition/all/2/op", "must be one of eq, ne, in, exists for the text feature rfm_group",
                "/condition/all/3/value", "must be a non-empty string for the text feature lifecycle_stage",
                "/condition/all/4/value", "must be a non-empty array of strings for op in"),
                errors(obj("all", arr(
                        leaf("rfm_group", "eq", "champions"),
                        leaf("rfm_group", "in", arr("Loyal", "Whales")),
                        leaf("rfm_group", "gte", "Loyal"),
                        leaf("lifecycle_stage", "eq", 3),
                        leaf("account_id", "in", arr())))));
    }

    @Test
    void typeMismatchesFailRatherThanThrow() {
        // a number test on a label value, and a label test on a missing text, are simply false
        Condition numberOnText = new Condition.Compare("rfm_group", Operator.GTE, 1);
        Condition textOnNumber = new Condition.TextCompare("orders_90d", Operator.EQ, "1");
        SubscriberView v = view(Map.of("orders_90d", 1.0), Map.of("rfm_group", "Loyal"), Map.of(), null);
        assertFalse(ConditionEvaluator.test(numberOnText, v));
        assertFalse(ConditionEvaluator.test(textOnNumber, v));
        assertTrue(ConditionEvaluator.test(new Condition.Exists("rfm_group"), v));
    }

    @Test
    void scoresClusterAndFeatureFamiliesAreNumbers() {
        SubscriberView v = view(Map.of("category_share_90d.shoes", 0.6), Map.of(),
                Map.of(ScoreNames.CHURN_90D, 0.8, ScoreNames.PROPENSITY_CLICKED_7D, 0.1), 3);
        assertTrue(ConditionEvaluator.test(parse(leaf("churn.90d", "gte", 0.7)), v));
        assertFalse(ConditionEvaluator.test(parse(leaf("propensity.clicked_7d", "gt", 0.2)), v));
        assertTrue(ConditionEvaluator.test(parse(leaf("cluster", "eq", 3)), v));
        assertTrue(ConditionEvaluator.test(parse(leaf("cluster", "in", arr(1, 3))), v));
        assertTrue(ConditionEvaluator.test(parse(leaf("category_share_90d.shoes", "between", arr(0.5, 1))), v));
        assertFalse(ConditionEvaluator.test(parse(leaf("category_share_90d.hats", "gt", 0)), v));
        // a score test explains itself with the model's reason codes
        Explanation.Leaf explained = (Explanation.Leaf) ConditionEvaluator.explainTree(
                parse(leaf("churn.90d", "gte", 0.7)), v, "/condition");
        assertEquals(new Explanation.Leaf("/condition", "churn.90d", "gte", 0.7, 0.8, true,
                List.of("days_since_last_open")), explained);
        assertNull(((Explanation.Leaf) ConditionEvaluator.explainTree(parse(leaf("cluster", "eq", 3)), v,
                "/condition")).reasons());
    }

    @Test
    void unknownNamesListEverySource() {
        String message = errors(leaf("nope", "eq", 1)).get("/condition/feature");
        assertTrue(message.startsWith("unknown feature 'nope'; known: emails_delivered_30d"), message);
        for (String part : List.of("category_share_90d.<key>", "labels: rfm_group", "scores: propensity.clicked_7d",
                "; cluster")) {
            assertTrue(message.contains(part), part + " in " + message);
        }
        // a bare prefix is not a feature
        assertNotNull(errors(leaf("category_share_90d.", "eq", 1)).get("/condition/feature"));
    }

    @Test
    void eventCountsInAWindowAreTheWindowedFeatures() {
        Condition opened = parse(obj("event", "Email Opened", "withinDays", 30, "op", "gte", "value", 2));
        assertEquals(new Condition.Compare(FeatureNames.EMAILS_OPENED_30D, Operator.GTE, 2), opened);
        assertEquals(new Condition.Compare(FeatureNames.ORDERS_365D, Operator.EQ, 0),
                parse(obj("event", "Order Completed", "withinDays", 365, "op", "eq", "value", 0)));
        assertTrue(ConditionEvaluator.test(opened, Map.of(FeatureNames.EMAILS_OPENED_30D, 2.0)));
        assertEquals(Map.of(
                "/condition/all/0/withinDays", "must be one of 7, 30, 90 for event 'Email Opened' (the windows "
                        + "feature-service counts)",
                "/condition/all/1/event", "must be one of " + EventWindows.events(),
                "/condition/all/2/unit", "is not a known property; an event count test has event, withinDays, op "
                        + "and value"),
                errors(obj("all", arr(
                        obj("event", "Email Opened", "withinDays", 14, "op", "gte", "value", 1),
                        obj("event", "Page Scrolled", "withinDays", 7, "op", "gte", "value", 1),
                        obj("event", "Email Sent", "withinDays", 7, "op", "gte", "value", 1, "unit", "d")))));
        // every mapped feature is a real feature of the contract
        EventWindows.table().values().forEach(w -> w.values().forEach(f -> assertTrue(FeatureNames.ALL.contains(f), f)));
    }

    @Test
    void theOldParserStillKnowsOnlyItsList() {
        List<FieldViolation> errors = new ArrayList<>();
        assertNull(new ConditionParser(FeatureNames.ALL).parse(leaf("churn.90d", "gte", 1), "/c", errors));
        assertEquals("/c/feature", errors.get(0).pointer());
    }

    @Test
    void theSeedsWorkedExample() {
        // tier-1 target account AND opened or clicked >= 2 of the last 5 sends AND account pricing intent in 30 days
        Condition example = parse(obj("all", arr(
                leaf("account_tier", "eq", 1),
                leaf("account_target", "eq", 1),
                leaf("engaged_sends_last_5", "gte", 2),
                leaf("account_pricing_intent_30d", "gte", 1))));
        Map<String, Double> match = Map.of("account_tier", 1.0, "account_target", 1.0, "engaged_sends_last_5", 2.0,
                "account_pricing_intent_30d", 1.0);
        assertTrue(ConditionEvaluator.test(example, match));
        for (String feature : match.keySet()) {
            Map<String, Double> missing = new java.util.HashMap<>(match);
            missing.remove(feature);
            assertFalse(ConditionEvaluator.test(example, missing), "without " + feature);
        }
        Map<String, Double> tier2 = new java.util.HashMap<>(match);
        tier2.put("account_tier", 2.0);
        assertFalse(ConditionEvaluator.test(example, tier2));
        Map<String, Double> onceEngaged = new java.util.HashMap<>(match);
        onceEngaged.put("engaged_sends_last_5", 1.0);
        assertFalse(ConditionEvaluator.test(example, onceEngaged));
        Map<String, Double> noIntent = new java.util.HashMap<>(match);
        noIntent.put("account_pricing_intent_30d", 0.0);
        assertFalse(ConditionEvaluator.test(example, noIntent));
        Map<String, Double> notTarget = new java.util.HashMap<>(match);
        notTarget.put("account_target", 0.0);
        assertFalse(ConditionEvaluator.test(example, notTarget));
    }
}
