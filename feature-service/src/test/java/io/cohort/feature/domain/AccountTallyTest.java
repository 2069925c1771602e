package io.cohort.feature.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The streams engine's account sums: each subscriber's latest contribution counts once. */
class AccountTallyTest {

    private static AccountContribution contact(String subscriber, boolean engaged, long pricing, String revenue,
            Map<String, Long> intent) {
        return new AccountContribution("acme", subscriber, true, engaged, pricing, new BigDecimal(revenue), intent);
    }

    @Test
    void aNewContributionReplacesTheSubscribersPreviousOneAndAWithdrawalTakesItOut() {
        AccountContribution first = contact("a", false, 1, "10", Map.of("pricing", 2L));
        AccountContribution again = contact("a", true, 3, "12.5", Map.of("pricing", 1L, "security", 1L));
        AccountContribution other = new AccountContribution("acme", "b", false, false, 0, BigDecimal.ZERO,
                Map.of("security", 4L));

        AccountTally tally = AccountTally.empty("acme").replace(null, first).replace(null, other)
                .replace(first, again);
        AccountRollup rollup = tally.rollup();
        assertEquals(1, rollup.contacts(), "b carried intent but is no contact");
        assertEquals(1, rollup.engagedContacts30d());
        assertEquals(3, rollup.pricingPageViews30d());
        assertEquals(0, new BigDecimal("12.5").compareTo(rollup.revenue365d()));
        assertEquals(Map.of("pricing", 1L, "security", 5L), rollup.intentByTopic30d());

        AccountRollup withdrawn = tally.replace(again, null).replace(other, null).rollup();
        assertEquals(0, withdrawn.contacts());
        assertEquals(0, withdrawn.engagedContacts30d());
        assertEquals(Map.of(), withdrawn.intentByTopic30d(), "no topic left at zero");
        assertEquals(0, withdrawn.revenue365d().signum());
    }

    @Test
    void traitsKeepTheLatestValueByEventTime() {
        Instant t1 = Instant.parse("2026-01-01T00:00:00Z");
        Instant t2 = t1.plusSeconds(60);
        AccountTally tally = AccountTally.empty("acme")
                .withTraits(new AccountTally.Traits("acme", 2, true, true, t2))
                .withTraits(new AccountTally.Traits("acme", 1, false, true, t1)) // older, arrives later
                .withTraits(new AccountTally.Traits("acme", null, false, false, t2.plusSeconds(1))); // names neither
        assertEquals(2, tally.rollup().tier());
        assertEquals(true, tally.rollup().target());
        assertNull(AccountTally.empty("x").rollup().tier());
    }
}
