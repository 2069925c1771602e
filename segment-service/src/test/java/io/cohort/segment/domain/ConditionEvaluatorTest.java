package io.cohort.segment.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionEvaluatorTest {

    private static final Map<String, Double> FEATURES = Map.of("orders_90d", 3.0, "revenue_90d", 49.5);
    private static final Map<String, Double> NONE = Map.of();

    private static Condition cmp(Operator op, double value) {
        return new Condition.Compare("orders_90d", op, value);
    }

    private static boolean test(Condition condition) {
        return ConditionEvaluator.test(condition, FEATURES);
    }

    @Test
    void scalarOperators() {
        assertTrue(test(cmp(Operator.EQ, 3)));
        assertFalse(test(cmp(Operator.EQ, 4)));
        assertTrue(test(cmp(Operator.NE, 4)));
        assertFalse(test(cmp(Operator.NE, 3)));
        assertTrue(test(cmp(Operator.GT, 2)));
        assertFalse(test(cmp(Operator.GT, 3)));
        assertTrue(test(cmp(Operator.GTE, 3)));
        assertFalse(test(cmp(Operator.GTE, 3.5)));
        assertTrue(test(cmp(Operator.LT, 4)));
        assertFalse(test(cmp(Operator.LT, 3)));
        assertTrue(test(cmp(Operator.LTE, 3)));
        assertFalse(test(cmp(Operator.LTE, 2.9)));
    }

    @Test
    void inBetweenAndExists() {
        assertTrue(test(new Condition.In("orders_90d", List.of(1.0, 3.0))));
        assertFalse(test(new Condition.In("orders_90d", List.of(1.0, 2.0))));
        assertTrue(test(new Condition.Between("revenue_90d", 49.5, 60)), "between includes its low end");
        assertTrue(test(new Condition.Between("revenue_90d", 10, 49.5)), "between includes its high end");
        assertFalse(test(new Condition.Between("revenue_90d", 50, 60)));
        assertTrue(test(new Condition.Exists("orders_90d")));
        assertFalse(test(new Condition.Exists("days_since_last_open")));
    }

    @Test
    void aMissingFeatureFailsEveryComparisonEvenNe() {
        for (Operator op : List.of(Operator.EQ, Operator.NE, Operator.GT, Operator.GTE, Operator.LT, Operator.LTE)) {
            assertFalse(ConditionEvaluator.test(cmp(op, 3), NONE), op.wireName());
        }
        assertFalse(ConditionEvaluator.test(new Condition.In("orders_90d", List.of(3.0)), NONE));
        assertFalse(ConditionEvaluator.test(new Condition.Between("orders_90d", 0, 10), NONE));
        assertTrue(ConditionEvaluator.test(new Condition.Not(new Condition.Exists("orders_90d")), NONE),
                "absence is observable through not exists");
        assertTrue(ConditionEvaluator.test(new Condition.Not(cmp(Operator.EQ, 3)), NONE),
                "not inverts a comparison that failed for lack of a value");
    }

    @Test
    void allAnyNot() {
        Condition yes = cmp(Operator.EQ, 3);
        Condition no = cmp(Operator.EQ, 4);
        assertTrue(test(new Condition.All(List.of(yes, yes))));
        assertFalse(test(new Condition.All(List.of(yes, no))));
        assertTrue(test(new Condition.Any(List.of(no, yes))));
        assertFalse(test(new Condition.Any(List.of(no, no))));
        assertTrue(test(new Condition.Not(no)));
        assertFalse(test(new Condition.Not(yes)));
        assertTrue(test(new Condition.All(List.of(new Condition.Any(List.of(no, yes)), new Condition.Not(no)))));
    }

    @Test
    void explainsEachFeatureTest() {
        Evaluation passed = ConditionEvaluator.evaluate(new Condition.All(List.of(
                new Condition.Compare("emails_opened_30d", Operator.GTE, 1))), Map.of("emails_opened_30d", 2.0));
        assertEquals(new Evaluation(true, "emails_opened_30d gte 1 passed"), passed);

        Evaluation failed = ConditionEvaluator.evaluate(new Condition.Any(List.of(
                new Condition.Compare("emails_opened_30d", Operator.GTE, 1),
                new Condition.Not(new Condition.Between("revenue_90d", 10, 49.5)),
                new Condition.In("orders_90d", List.of(1.0, 2.5)))), FEATURES);
        assertEquals(new Evaluation(false, "emails_opened_30d gte 1 failed (no value); "
                + "not (revenue_90d between 10 and 49.5 passed); orders_90d in [1, 2.5] failed"), failed);
    }
}
