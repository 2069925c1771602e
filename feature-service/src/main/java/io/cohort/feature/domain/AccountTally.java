package io.cohort.feature.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * An account's rollup kept as running sums of its contributions ({@link AccountContribution}): each
 * new contribution of a subscriber replaces their previous one, so the sums are always those of the
 * latest contribution per subscriber. Group traits keep the latest value by event time. Pure.
 *
 * @param tierAt   event time of the group call that set {@code tier} (null: never set)
 * @param targetAt event time of the group call that set {@code target} (null: never set)
 */
public record AccountTally(String accountId, Integer tier, Instant tierAt, boolean target, Instant targetAt,
        long contacts, long engagedContacts30d, long pricingPageViews30d, BigDecimal revenue365d,
        Map<String, Long> intentByTopic30d) {

    public AccountTally {
        revenue365d = revenue365d == null ? BigDecimal.ZERO : revenue365d;
        intentByTopic30d = intentByTopic30d == null ? Map.of() : Map.copyOf(intentByTopic30d);
    }

    /** A group call's traits: the parsed tier (null: none given) and target (when the call named one). */
    public record Traits(String accountId, Integer tier, boolean target, boolean targetGiven, Instant at) {

        public static Traits of(EventSignals.AccountTraits traits, Instant at) {
            return new Traits(traits.accountId(), traits.tier(), traits.target(),
                    traits.traits().containsKey("target"), at);
        }
    }

    public static AccountTally empty(String accountId) {
        return new AccountTally(accountId, null, null, false, null, 0, 0, 0, BigDecimal.ZERO, Map.of());
    }

    /** The sums with {@code before} (null: none) taken out and {@code after} (null: withdrawn) put in. */
    public AccountTally replace(AccountContribution before, AccountContribution after) {
        long contactCount = contacts - contactCount(before) + contactCount(after);
        long engaged = engagedContacts30d - engagedCount(before) + engagedCount(after);
        long pricing = pricingPageViews30d - (isContact(before) ? before.pricingPageViews30d() : 0)
                + (isContact(after) ? after.pricingPageViews30d() : 0);
        BigDecimal revenue = revenue365d.subtract(isContact(before) ? before.revenue365d() : BigDecimal.ZERO)
                .add(isContact(after) ? after.revenue365d() : BigDecimal.ZERO);
        Map<String, Long> intent = new TreeMap<>(intentByTopic30d);
        if (before != null) {
            before.intentByTopic30d().forEach((topic, n) -> intent.merge(topic, -n, Long::sum));
        }
        if (after != null) {
            after.intentByTopic30d().forEach((topic, n) -> intent.merge(topic, n, Long::sum));
        }
        intent.values().removeIf(n -> n == 0);
        return new AccountTally(accountId, tier, tierAt, target, targetAt, contactCount, engaged, pricing,
                revenue.signum() == 0 ? BigDecimal.ZERO : revenue, intent);
    }

    /** The traits merged in: each one given replaces the kept value unless that came from a later call. */
    public AccountTally withTraits(Traits traits) {
        boolean newerTier = traits.tier() != null && (tierAt == null || !traits.at().isBefore(tierAt));
        boolean newerTarget = traits.targetGiven() && (targetAt == null || !traits.at().isBefore(targetAt));
        return new AccountTally(accountId, newerTier ? traits.tier() : tier, newerTier ? traits.at() : tierAt,
                newerTarget ? traits.target() : target, newerTarget ? traits.at() : targetAt, contacts,
                engagedContacts30d, pricingPageViews30d, revenue365d, intentByTopic30d);
    }

    public AccountRollup rollup() {
        return new AccountRollup(accountId, tier, target, contacts, engagedContacts30d, intentByTopic30d,
                pricingPageViews30d, revenue365d);
    }

    private static boolean isContact(AccountContribution c) {
        return c != null && c.contact();
    }

    private static long contactCount(AccountContribution c) {
        return isContact(c) ? 1 : 0;
    }

    private static long engagedCount(AccountContribution c) {
        return isContact(c) && c.engaged30d() ? 1 : 0;
    }
}
