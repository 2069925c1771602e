package io.cohort.segment.domain;

import static io.cohort.segment.domain.Json.arr;
import static io.cohort.segment.domain.Json.leaf;
import static io.cohort.segment.domain.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.http.FieldViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionParserTest {

    private final ConditionParser parser = new ConditionParser(FeatureNames.ALL);

    private Condition parse(Object raw, List<FieldViolation> errors) {
        return parser.parse(raw, "/condition", errors);
    }

    private Map<String, String> errorsOf(Object raw) {
        List<FieldViolation> errors = new ArrayList<>();
        assertNull(parse(raw, errors), "an invalid condition yields no tree");
        Map<String, String> byPointer = new java.util.LinkedHashMap<>();
        errors.forEach(e -> byPointer.merge(e.pointer(), e.message(), (a, b) -> a + " | " + b));
        return byPointer;
    }

    @Test
    void parsesEveryNodeKindAndRendersItBack() {
        Object raw = obj("all", arr(
                leaf("emails_opened_30d", "gte", 1),
                obj("any", arr(
                        leaf("orders_90d", "in", arr(1, 2.5)),
                        leaf("revenue_90d", "between", arr(10, 99.5)))),
                obj("not", obj("feature", "days_since_last_open", "op", "exists"))));
        List<FieldViolation> errors = new ArrayList<>();
        Condition condition = parse(raw, errors);
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(new Condition.All(List.of(
                new Condition.Compare("emails_opened_30d", Operator.GTE, 1),
                new Condition.Any(List.of(
                        new Condition.In("orders_90d", List.of(1.0, 2.5)),
                        new Condition.Between("revenue_90d", 10, 99.5))),
                new Condition.Not(new Condition.Exists("days_since_last_open")))), condition);
        assertEquals(raw, condition.toJson(), "whole numbers render as integers, the shape as posted");
    }

    @Test
    void everyScalarOperatorIsAccepted() {
        for (String op : List.of("eq", "ne", "gt", "gte", "lt", "lte")) {
            List<FieldViolation> errors = new ArrayList<>();
            Condition condition = parse(leaf("orders_90d", op, 3), errors);
            assertEquals(new Condition.Compare("orders_90d", Operator.fromWire(op).orElseThrow(), 3), condition);
        }
    }

    @Test
    void reportsEveryLeafErrorWithItsPointer() {
        Map<String, String> errors = errorsOf(obj("all", arr(
                obj("feature", "x", "op", "gte", "value", 1),
                obj("feature", "emails_opened_30d", "op", "greater", "value", 1),
                obj("feature", "orders_90d", "op", "gt", "value", "3"),
                obj("feature", "orders_90d", "op", "in", "value", arr()),
                obj("feature", "orders_90d", "op", "in", "value", arr(1, "two")),
                obj("feature", "orders_90d", "op", "between", "value", arr(5)),
                obj("feature", "orders_90d", "op", "between", "value", arr(5, 1)),
                obj("feature", "orders_90d", "op", "exists", "value", 1),
                obj("op", "eq", "value", 1),
                obj("feature", 7, "op", "eq", "value", 1),
                obj("feature", "orders_90d", "op", "eq"),
                obj("feature", "orders_90d", "op", "eq", "value", 1, "vlaue", 2))));
        assertEquals(Map.ofEntries(
                Map.entry("/condition/all/0/feature", "unknown feature 'x'; known: "
                        + String.join(", ", FeatureNames.ALL)),
                Map.entry("/condition/all/1/op", "must be one of eq, ne, gt, gte, lt, lte, in, between, exists"),
                Map.entry("/condition/all/2/value", "must be a number"),
                Map.entry("/condition/all/3/value", "must be a non-empty array of numbers for op in"),
                Map.entry("/condition/all/4/value/1", "must be a number"),
                Map.entry("/condition/all/5/value", "must be an array [low, high] of two numbers for op between"),
                Map.entry("/condition/all/6/value", "low must not be greater than high"),
                Map.entry("/condition/all/7/value", "must be absent for op exists"),
                Map.entry("/condition/all/8/feature", "is required"),
                Map.entry("/condition/all/9/feature", "must be a string"),
                Map.entry("/condition/all/10/value", "is required and must be a number"),
                Map.entry("/condition/all/11/vlaue", "is not a known property; a feature test has feature, op and value")),
                errors);
    }

    @Test
    void aMissingOperatorIsReported() {
        assertEquals(Map.of("/condition/op", "is required; must be one of " + Operator.CHOICES),
                errorsOf(obj("feature", "orders_90d", "value", 1)));
    }

    @Test
    void reportsStructuralErrors() {
        assertEquals(Map.of("/condition", "must be a JSON object"), errorsOf("orders_90d > 1"));
        assertEquals(Map.of("/condition", "must have one of all, any, not, or feature with op"), errorsOf(obj()));
        assertEquals(Map.of("/condition",
                "must have exactly one of all, any, not, or feature with op; has all, any"),
                errorsOf(obj("all", arr(), "any", arr())));
        assertEquals(Map.of("/condition/any", "must be a non-empty array of conditions"), errorsOf(obj("any", arr())));
        assertEquals(Map.of("/condition/all", "must be a non-empty array of conditions"),
                errorsOf(obj("all", leaf("orders_90d", "eq", 1))));
        assertEquals(Map.of("/condition/not", "must be a JSON object"), errorsOf(obj("not", arr())));
        assertEquals(Map.of("/condition/extra", "is not allowed next to not"),
                errorsOf(obj("not", leaf("orders_90d", "eq", 1), "extra", true)));
        assertEquals(Map.of("/condition/all/0/not/any/1", "must be a JSON object"),
                errorsOf(obj("all", arr(obj("not", obj("any", arr(leaf("orders_90d", "eq", 1), 5)))))));
    }

    @Test
    void escapesPointerTokens() {
        assertEquals(Map.of("/condition/a~1b~0c", "is not a known property; a feature test has feature, op and value"),
                errorsOf(obj("feature", "orders_90d", "op", "exists", "a/b~c", 1)));
    }

    @Test
    void boundsDepthAndSize() {
        Object deep = leaf("orders_90d", "eq", 1);
        for (int i = 0; i < ConditionParser.MAX_DEPTH; i++) {
            deep = obj("not", deep);
        }
        String pointer = "/condition" + "/not".repeat(ConditionParser.MAX_DEPTH);
        assertEquals(Map.of(pointer, "is nested deeper than " + ConditionParser.MAX_DEPTH + " levels"),
                errorsOf(deep));

        List<Object> many = new ArrayList<>();
        for (int i = 0; i <= ConditionParser.MAX_LEAVES; i++) {
            many.add(leaf("orders_90d", "eq", i));
        }
        assertEquals(Map.of("/condition", "must have at most " + ConditionParser.MAX_LEAVES
                + " feature tests, has " + (ConditionParser.MAX_LEAVES + 1)), errorsOf(obj("any", many)));
    }
}
