package io.cohort.segment.domain;

import static io.cohort.segment.domain.Json.arr;
import static io.cohort.segment.domain.Json.leaf;
import static io.cohort.segment.domain.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.http.FieldViolation;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentDefinitionParserTest {

    private final SegmentDefinitionParser parser = new SegmentDefinitionParser(new ConditionParser(FeatureNames.ALL));

    private List<String> pointers(Object body) {
        SegmentDefinitionParser.Result result = parser.parse(body);
        assertFalse(result.isValid());
        assertNull(result.definition());
        return result.errors().stream().map(FieldViolation::pointer).toList();
    }

    @Test
    void acceptsARuleSegment() {
        var result = parser.parse(obj("name", "  Openers ", "kind", "rule",
                "condition", obj("all", arr(leaf("emails_opened_30d", "gte", 1)))));
        assertTrue(result.isValid(), result.errors().toString());
        assertEquals(SegmentDefinition.rule("Openers",
                new Condition.All(List.of(new Condition.Compare("emails_opened_30d", Operator.GTE, 1)))),
                result.definition());
    }

    @Test
    void acceptsAClusterSegment() {
        var result = parser.parse(obj("name", "Cluster 2", "kind", "cluster", "clusterId", 2));
        assertEquals(SegmentDefinition.cluster("Cluster 2", 2), result.definition());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertEquals(List.of("/name", "/kind"), pointers(obj()));
        assertEquals(List.of("/colour", "/name", "/kind", "/condition/all/0/feature", "/condition/all/1/op"),
                pointers(obj("colour", "red", "name", "", "kind", "segment", "condition", obj("all", arr(
                        leaf("nope", "eq", 1), leaf("orders_90d", "bigger", 1))))));
    }

    @Test
    void kindDecidesWhatIsRequiredAndAllowed() {
        assertEquals(List.of("/condition"), pointers(obj("name", "r", "kind", "rule")));
        assertEquals(List.of("/clusterId"), pointers(obj("name", "r", "kind", "rule",
                "condition", leaf("orders_90d", "eq", 1), "clusterId", 2)));
        assertEquals(List.of("/clusterId"), pointers(obj("name", "c", "kind", "cluster")));
        assertEquals(List.of("/condition"), pointers(obj("name", "c", "kind", "cluster", "clusterId", 1,
                "condition", leaf("orders_90d", "eq", 1))));
        assertEquals(List.of("/clusterId"), pointers(obj("name", "c", "kind", "cluster", "clusterId", -1)));
        assertEquals(List.of("/clusterId"), pointers(obj("name", "c", "kind", "cluster", "clusterId", 1.5)));
        assertEquals(List.of("/clusterId"), pointers(obj("name", "c", "kind", "cluster", "clusterId", "2")));
    }

    @Test
    void holdoutPercentIsANumberFromZeroToFifty() {
        var result = parser.parse(obj("name", "c", "kind", "cluster", "clusterId", 1, "holdoutPercent", 12.5));
        assertEquals(SegmentDefinition.cluster("c", 1).withHoldoutPercent(12.5), result.definition());
        assertEquals(50, parser.parse(obj("name", "c", "kind", "cluster", "clusterId", 1, "holdoutPercent", 50))
                .definition().holdoutPercent());
        assertEquals(0, parser.parse(obj("name", "c", "kind", "cluster", "clusterId", 1)).definition()
                .holdoutPercent());
        for (Object bad : new Object[] {-1, 50.5, 51, "10", true, null}) {
            assertEquals(List.of("/holdoutPercent"), pointers(obj("name", "c", "kind", "cluster", "clusterId", 1,
                    "holdoutPercent", bad)), String.valueOf(bad));
        }
    }

    @Test
    void nameMustBeAShortString() {
        assertEquals(List.of("/name"), pointers(obj("name", 5, "kind", "cluster", "clusterId", 1)));
        assertEquals(List.of("/name"), pointers(obj("name", "x".repeat(SegmentDefinitionParser.MAX_NAME_LENGTH + 1),
                "kind", "cluster", "clusterId", 1)));
    }

    @Test
    void theBodyMustBeAnObject() {
        assertEquals(List.of("/"), pointers(arr(1, 2)));
        assertEquals(List.of("/"), pointers(null));
    }
}
