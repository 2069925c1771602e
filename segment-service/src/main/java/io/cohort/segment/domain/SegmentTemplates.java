package io.cohort.segment.domain;

import io.cohort.contracts.FeatureNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The five starter segments of the seeds, as definitions ready to instantiate. Each is an ordinary
 * rule segment body (the same JSON a client would POST), so it is validated, stored and evaluated
 * like any other; instantiating may override name, holdoutPercent and actions.
 */
public final class SegmentTemplates {

    public static final String ENGAGED_TARGET_ACCOUNTS = "engaged-target-account-contacts";
    public static final String ENGAGED_NON_TARGET = "engaged-non-target-contacts";
    public static final String DORMANT_HIGH_FIT_ACCOUNTS = "dormant-high-fit-accounts";
    public static final String DECAYING_CUSTOMERS = "decaying-customers";
    public static final String SUNSET_CANDIDATES = "sunset-candidates";

    /** What may be given next to {@code template} when instantiating. */
    public static final List<String> OVERRIDABLE = List.of("name", "holdoutPercent", "actions");

    /** "Engaged": opened (non-machine) or clicked at least 2 of the last 5 sends. */
    static final Map<String, Object> ENGAGED = leaf(FeatureNames.ENGAGED_SENDS_LAST_5, "gte", 2);

    public record Template(String key, String name, String description, Map<String, Object> definition) {
    }

    public static final List<Template> ALL = List.of(
            new Template(ENGAGED_TARGET_ACCOUNTS, "Engaged target-account contacts",
                    "Contacts of target accounts who opened or clicked at least 2 of their last 5 sends",
                    rule("Engaged target-account contacts", all(
                            leaf(FeatureNames.ACCOUNT_TARGET, "eq", 1), ENGAGED))),
            new Template(ENGAGED_NON_TARGET, "Engaged non-target contacts",
                    "Engaged contacts (≥ 2 of the last 5 sends opened or clicked) outside target accounts, "
                            + "including contacts without an account",
                    rule("Engaged non-target contacts", all(
                            Map.of("not", leaf(FeatureNames.ACCOUNT_TARGET, "eq", 1)), ENGAGED))),
            new Template(DORMANT_HIGH_FIT_ACCOUNTS, "Dormant high-fit accounts",
                    "Contacts of tier-1 or target accounts where no contact engaged in 30 days",
                    rule("Dormant high-fit accounts", all(
                            Map.of("any", List.of(leaf(FeatureNames.ACCOUNT_TIER, "eq", 1),
                                    leaf(FeatureNames.ACCOUNT_TARGET, "eq", 1))),
                            leaf(FeatureNames.ACCOUNT_ENGAGED_CONTACTS_30D, "eq", 0)))),
            new Template(DECAYING_CUSTOMERS, "Decaying customers",
                    "Customers who ordered before and whose weekly engagement over 8 weeks slopes downwards",
                    rule("Decaying customers", all(
                            exists(FeatureNames.DAYS_SINCE_LAST_ORDER),
                            leaf(FeatureNames.ENGAGEMENT_DECAY_SLOPE_8W, "lt", 0)))),
            new Template(SUNSET_CANDIDATES, "Sunset candidates",
                    "Mailed in the last 90 days without a single open or click in 90 days (an analysis segment: "
                            + "suppressed subscribers stay in it)",
                    rule("Sunset candidates", all(
                            leaf(FeatureNames.EMAILS_SENT_90D, "gte", 1),
                            leaf(FeatureNames.EMAILS_OPENED_90D, "eq", 0),
                            leaf(FeatureNames.EMAILS_CLICKED_90D, "eq", 0)))));

    private SegmentTemplates() {
    }

    public static Optional<Template> find(String key) {
        return ALL.stream().filter(t -> t.key().equals(key)).findFirst();
    }

    public static String keys() {
        return String.join(", ", ALL.stream().map(Template::key).toList());
    }

    /** The template's body with the given overrides (only {@link #OVERRIDABLE} keys are taken). */
    public static Map<String, Object> instantiate(Template template, Map<?, ?> overrides) {
        Map<String, Object> body = new LinkedHashMap<>(template.definition());
        for (String key : OVERRIDABLE) {
            if (overrides.containsKey(key)) {
                body.put(key, overrides.get(key));
            }
        }
        return body;
    }

    static Map<String, Object> rule(String name, Object condition) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("kind", "rule");
        body.put("condition", condition);
        return body;
    }

    static Map<String, Object> all(Object... conditions) {
        return Map.of("all", List.of(conditions));
    }

    static Map<String, Object> leaf(String feature, String op, Object value) {
        Map<String, Object> leaf = new LinkedHashMap<>();
        leaf.put("feature", feature);
        leaf.put("op", op);
        leaf.put("value", value);
        return leaf;
    }

    static Map<String, Object> exists(String feature) {
        Map<String, Object> leaf = new LinkedHashMap<>();
        leaf.put("feature", feature);
        leaf.put("op", "exists");
        return leaf;
    }
}
