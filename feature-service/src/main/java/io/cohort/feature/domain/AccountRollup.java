package io.cohort.feature.domain;

import java.math.BigDecimal;
import java.util.Map;

/**
 * An account's (ABM) rollup as of a moment, copied onto every contact's vector.
 *
 * @param accountId          the account ({@code groupId} of group calls)
 * @param tier               the account's tier (1 = top), from the group trait {@code tier}; null when unknown
 * @param target             the group trait {@code target} is true / "true" / "yes" / 1
 * @param contacts           subscribers linked to the account
 * @param engagedContacts30d contacts with a human open, a click, a reply or a page view in 30 days
 * @param intentByTopic30d   'Intent Signal' events of the account in 30 days, per topic (lower-cased)
 * @param pricingPageViews30d pricing/comparison page views of the account's contacts in 30 days
 * @param revenue365d        order revenue of the account's contacts in 365 days
 */
public record AccountRollup(String accountId, Integer tier, boolean target, long contacts, long engagedContacts30d,
        Map<String, Long> intentByTopic30d, long pricingPageViews30d, BigDecimal revenue365d) {

    public AccountRollup {
        intentByTopic30d = intentByTopic30d == null ? Map.of() : Map.copyOf(intentByTopic30d);
        revenue365d = revenue365d == null ? BigDecimal.ZERO : revenue365d;
    }

    public long intentSignals30d() {
        return intentByTopic30d.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Intent signals whose topic contains "pricing" or "compar" plus the contacts' pricing page views. */
    public long pricingIntent30d() {
        long topics = intentByTopic30d.entrySet().stream()
                .filter(e -> e.getKey().contains("pricing") || e.getKey().contains("compar"))
                .mapToLong(Map.Entry::getValue).sum();
        return topics + pricingPageViews30d;
    }

    /** The tier of a trait value: a number, or the first digits of a text ("1", "Tier 2"); else null. */
    public static Integer tierOf(Object value) {
        if (value instanceof Number number) {
            return number.intValue();
        }
        if (value instanceof String text) {
            java.util.regex.Matcher digits = java.util.regex.Pattern.compile("\\d+").matcher(text);
            if (digits.find() && digits.group().length() < 9) {
                return Integer.parseInt(digits.group());
            }
        }
        return null;
    }

    /** Whether a trait value means "target account": true, "true"/"yes"/"1" (any case) or the number 1. */
    public static boolean targetOf(Object value) {
        if (value instanceof Boolean flag) {
            return flag;
        }
        if (value instanceof Number number) {
            return number.doubleValue() == 1.0;
        }
        if (value instanceof String text) {
            String lower = text.trim().toLowerCase(java.util.Locale.ROOT);
            return lower.equals("true") || lower.equals("yes") || lower.equals("1");
        }
        return false;
    }
}
