package io.cohort.feature.domain;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What one subscriber adds to one account's rollup as of a UTC day: as a contact (linked to the
 * account) their engagement, pricing page views and revenue; as anyone, the 'Intent Signal' events
 * they carried for the account. The account side sums these per account (see {@link AccountTally}).
 *
 * @param contact             the subscriber is linked to the account (counts in {@code account_contacts})
 * @param engaged30d          a human open, a click, a reply or a page view on the last 30 UTC days
 * @param pricingPageViews30d pricing/comparison page views on the last 30 UTC days
 * @param revenue365d         order revenue on the last 365 UTC days
 * @param intentByTopic30d    intent signals for the account on the last 30 UTC days, per topic
 */
public record AccountContribution(String accountId, String subscriberId, boolean contact, boolean engaged30d,
        long pricingPageViews30d, BigDecimal revenue365d, Map<String, Long> intentByTopic30d) {

    public AccountContribution {
        revenue365d = revenue365d == null ? BigDecimal.ZERO : revenue365d;
        intentByTopic30d = intentByTopic30d == null ? Map.of() : Map.copyOf(intentByTopic30d);
    }
}
