package io.cohort.segment.domain;

import static io.cohort.segment.domain.Json.leaf;
import static io.cohort.segment.domain.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.http.FieldViolation;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LookalikeTest {

    private static final String SEED = "7d0f4b2e-1c5a-4f3e-9b8a-2a6c0e1d9f10";
    private final SegmentDefinitionParser parser = new SegmentDefinitionParser(new ConditionParser(FeatureNames.ALL));

    private List<String> pointers(Object body) {
        var result = parser.parse(body);
        assertFalse(result.isValid());
        return result.errors().stream().map(FieldViolation::pointer).toList();
    }

    @Test
    void parsesALookalikeWithAnOptionalConditionAndWritesItBack() {
        var result = parser.parse(obj("name", "Like buyers", "kind", "lookalike", "seedSegmentId", SEED,
                "targetSize", 500, "condition", leaf("emails_opened_30d", "gte", 1)));
        assertTrue(result.isValid(), result.errors().toString());
        SegmentDefinition definition = result.definition();
        assertEquals(SegmentKind.LOOKALIKE, definition.kind());
        assertEquals(new Lookalike(UUID.fromString(SEED), 500), definition.lookalike());
        Map<String, Object> json = definition.toJson();
        assertEquals(SEED, json.get("seedSegmentId"));
        assertEquals(500, json.get("targetSize"));
        // the canonical form parses back to the same definition (the repository relies on it)
        assertEquals(definition, parser.parse(json).definition());
        assertTrue(parser.parse(obj("name", "x", "kind", "lookalike", "seedSegmentId", SEED, "targetSize", 100_000))
                .isValid());
    }

    @Test
    void rejectsAMissingOrMalformedSeedAndTargetSizeOutOfRange() {
        assertEquals(List.of("/seedSegmentId", "/targetSize"), pointers(obj("name", "x", "kind", "lookalike")));
        assertEquals(List.of("/seedSegmentId"), pointers(obj("name", "x", "kind", "lookalike",
                "seedSegmentId", "not-a-uuid", "targetSize", 5)));
        assertEquals(List.of("/targetSize"), pointers(obj("name", "x", "kind", "lookalike", "seedSegmentId", SEED,
                "targetSize", 0)));
        assertEquals(List.of("/targetSize"), pointers(obj("name", "x", "kind", "lookalike", "seedSegmentId", SEED,
                "targetSize", 100_001)));
        assertEquals(List.of("/targetSize"), pointers(obj("name", "x", "kind", "lookalike", "seedSegmentId", SEED,
                "targetSize", 2.5)));
        assertEquals(List.of("/clusterId"), pointers(obj("name", "x", "kind", "lookalike", "seedSegmentId", SEED,
                "targetSize", 5, "clusterId", 1)));
        assertEquals(List.of("/seedSegmentId", "/targetSize"), pointers(obj("name", "x", "kind", "rule",
                "condition", leaf("emails_opened_30d", "gte", 1), "seedSegmentId", SEED, "targetSize", 5)));
        assertThrows(IllegalArgumentException.class, () -> new Lookalike(UUID.randomUUID(), 0));
    }

    @Test
    void membershipIsBeingAmongTheItemsAndPassingTheCondition() {
        SegmentDefinition plain = lookalike(null);
        SegmentDefinition opened = lookalike(new Condition.Compare("emails_opened_30d", Operator.GTE, 1));
        SubscriberView none = SubscriberView.empty("s1");
        assertTrue(SegmentMatcher.matchesLookalike(plain, 0.8, none));
        assertFalse(SegmentMatcher.matchesLookalike(plain, null, none));
        assertFalse(SegmentMatcher.matchesLookalike(opened, 0.8, none));
        // without the model's answer nobody matches through the generic path
        assertFalse(SegmentMatcher.evaluate(plain, none).matched());

        var evaluation = SegmentMatcher.evaluateLookalike(plain, 0.8, none);
        assertTrue(evaluation.matched());
        assertTrue(evaluation.reason().contains("similarity 0.8"), evaluation.reason());

        Explanation.Lookalike explained = (Explanation.Lookalike) SegmentMatcher.explainLookalike(plain, 0.8,
                Map.of("method", "knn-standardised", "evaluation", Map.of("recall", 0.6)), none);
        assertEquals(SEED, explained.seedSegmentId());
        assertEquals(0.8, explained.similarity());
        assertEquals("knn-standardised", explained.method());
        assertEquals(Map.of("recall", 0.6), explained.evaluation());
        assertTrue(explained.passed());
        assertNull(explained.condition());
        Explanation.Lookalike failed = (Explanation.Lookalike) SegmentMatcher.explainLookalike(opened, 0.8, Map.of(),
                none);
        assertFalse(failed.passed());
        assertFalse(failed.condition().passed());
    }

    @Test
    void theResultKeepsTheFirstSimilarityPerSubscriberAndSummarisesWithoutItems() {
        var result = new LookalikeResult("knn-standardised", 3, 10, 5, List.of("f"),
                List.of(new LookalikeResult.Item("a", 0.9), new LookalikeResult.Item("b", 0.7),
                        new LookalikeResult.Item("a", 0.1)), Map.of("recall", 0.5));
        assertEquals(Map.of("a", 0.9, "b", 0.7), result.similarities());
        assertFalse(result.summary().containsKey("items"));
        assertEquals(Map.of("recall", 0.5), result.summary().get("evaluation"));
    }

    private static SegmentDefinition lookalike(Condition condition) {
        return new SegmentDefinition("Like", SegmentKind.LOOKALIKE, condition, null, 0, null, null,
                new Lookalike(UUID.fromString(SEED), 10));
    }
}
