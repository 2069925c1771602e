package io.cohort.segment.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The five starter templates against constructed subscribers. */
class SegmentTemplatesTest {

    private static final SegmentDefinitionParser PARSER = new SegmentDefinitionParser(ConditionParser.standard());

    private static SegmentDefinition definition(String key) {
        SegmentDefinitionParser.Result result = PARSER.parse(SegmentTemplates.find(key).orElseThrow().definition());
        assertTrue(result.isValid(), key + ": " + result.errors());
        return result.definition();
    }

    private static boolean matches(String key, Map<String, Double> features) {
        SubscriberView view = SubscriberView.empty("s").withFeatures(1, features);
        boolean matched = SegmentMatcher.evaluate(definition(key), view).matched();
        assertEquals(matched, SegmentMatcher.matches(new Segment(java.util.UUID.randomUUID(), 1, java.time.Instant.EPOCH,
                definition(key)), view), "matches agrees with evaluate");
        assertEquals(matched, SegmentMatcher.explain(definition(key), view).passed(), "explain agrees");
        return matched;
    }

    private static Map<String, Double> with(Map<String, Double> base, Object... overrides) {
        Map<String, Double> copy = new HashMap<>(base);
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                copy.remove((String) overrides[i]);
            } else {
                copy.put((String) overrides[i], ((Number) overrides[i + 1]).doubleValue());
            }
        }
        return copy;
    }

    @Test
    void thereAreFiveValidRuleTemplatesWithDistinctKeys() {
        assertEquals(5, SegmentTemplates.ALL.size());
        assertEquals(5, SegmentTemplates.ALL.stream().map(SegmentTemplates.Template::key).distinct().count());
        SegmentTemplates.ALL.forEach(t -> assertEquals(SegmentKind.RULE, definition(t.key()).kind()));
        // overrides replace only name, holdoutPercent and actions
        Map<String, Object> body = SegmentTemplates.instantiate(SegmentTemplates.ALL.get(0),
                Map.of("name", "Mine", "holdoutPercent", 10, "kind", "cluster"));
        assertEquals("Mine", body.get("name"));
        assertEquals(10, body.get("holdoutPercent"));
        assertEquals("rule", body.get("kind"));
    }

    @Test
    void engagedTargetAccountContacts() {
        String key = SegmentTemplates.ENGAGED_TARGET_ACCOUNTS;
        Map<String, Double> engagedTarget = Map.of("account_target", 1.0, "engaged_sends_last_5", 3.0);
        assertTrue(matches(key, engagedTarget));
        assertFalse(matches(key, with(engagedTarget, "engaged_sends_last_5", 1)));
        assertFalse(matches(key, with(engagedTarget, "account_target", 0)));
        assertFalse(matches(key, with(engagedTarget, "account_target", null)));
    }

    @Test
    void engagedNonTargetContacts() {
        String key = SegmentTemplates.ENGAGED_NON_TARGET;
        assertTrue(matches(key, Map.of("account_target", 0.0, "engaged_sends_last_5", 2.0)));
        // a contact without an account is not a target-account contact
        assertTrue(matches(key, Map.of("engaged_sends_last_5", 5.0)));
        assertFalse(matches(key, Map.of("account_target", 1.0, "engaged_sends_last_5", 5.0)));
        assertFalse(matches(key, Map.of("account_target", 0.0, "engaged_sends_last_5", 1.0)));
        assertFalse(matches(key, Map.of("account_target", 0.0)));
    }

    @Test
    void dormantHighFitAccounts() {
        String key = SegmentTemplates.DORMANT_HIGH_FIT_ACCOUNTS;
        assertTrue(matches(key, Map.of("account_tier", 1.0, "account_engaged_contacts_30d", 0.0)));
        assertTrue(matches(key, Map.of("account_tier", 3.0, "account_target", 1.0, "account_engaged_contacts_30d", 0.0)));
        assertFalse(matches(key, Map.of("account_tier", 1.0, "account_engaged_contacts_30d", 2.0)));
        assertFalse(matches(key, Map.of("account_tier", 2.0, "account_target", 0.0, "account_engaged_contacts_30d", 0.0)));
        assertFalse(matches(key, Map.of("engaged_sends_last_5", 0.0)));
    }

    @Test
    void decayingCustomers() {
        String key = SegmentTemplates.DECAYING_CUSTOMERS;
        Map<String, Double> decaying = Map.of("days_since_last_order", 40.0, "engagement_decay_slope_8w", -0.3);
        assertTrue(matches(key, decaying));
        assertFalse(matches(key, with(decaying, "engagement_decay_slope_8w", 0)));
        assertFalse(matches(key, with(decaying, "engagement_decay_slope_8w", 0.2)));
        assertFalse(matches(key, with(decaying, "days_since_last_order", null)), "never ordered");
    }

    @Test
    void sunsetCandidatesIncludeSuppressedSubscribers() {
        String key = SegmentTemplates.SUNSET_CANDIDATES;
        Map<String, Double> silent = Map.of("emails_sent_90d", 6.0, "emails_opened_90d", 0.0,
                "emails_clicked_90d", 0.0);
        assertTrue(matches(key, silent));
        assertTrue(matches(key, with(silent, "suppressed", 1, "unsubscribed", 1)), "analysis segment keeps them");
        assertFalse(matches(key, with(silent, "emails_opened_90d", 1)));
        assertFalse(matches(key, with(silent, "emails_clicked_90d", 1)));
        assertFalse(matches(key, with(silent, "emails_sent_90d", 0)), "never mailed is not sunset");
    }

    @Test
    void templateListsAreDocumented() {
        assertEquals(List.of("engaged-target-account-contacts", "engaged-non-target-contacts",
                "dormant-high-fit-accounts", "decaying-customers", "sunset-candidates"),
                SegmentTemplates.ALL.stream().map(SegmentTemplates.Template::key).toList());
    }
}
