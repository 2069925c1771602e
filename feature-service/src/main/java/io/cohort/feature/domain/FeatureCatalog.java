package io.cohort.feature.domain;

import io.cohort.contracts.FeatureNames;
import java.util.List;

/** The definitions of every feature feature-service publishes, in {@link FeatureNames#ALL} order. */
public final class FeatureCatalog {

    private static final String NUMBER = "number";
    private static final String WINDOW_30D = "30d";
    private static final String WINDOW_90D = "90d";
    private static final String WINDOW_7D = "7d";
    private static final String WINDOW_365D = "365d";
    private static final String CURRENT = "current state";
    private static final String ALL_TIME = "all time";
    private static final String FLAG = "flag (0 or 1)";
    private static final String LABEL = "label";
    private static final String ACCOUNT_NOTE = "Copied onto every contact of the account; absent without an "
            + "account; not in training rows.";
    private static final String RFM_SCORE = " 1-5 (5 = best) among the current customer base "
            + "(subscribers with an order in 365 days; the values worst to best are cut at positions k n / 5, "
            + "k = 1..4; score = 1 + cuts the customer is above. Customers tied at a cut are split across the "
            + "quintiles the tie spans in proportion, by a fixed hash of the subscriber id, so a value most "
            + "customers share does not crowd the lowest score. Boundaries are recomputed by the sweep at least "
            + "hourly, on a new UTC day and when the customer count moved by 10 % or more, e.g. after an import). "
            + "Absent without an order in 365 days or before boundaries exist; training rows score against the "
            + "boundaries of the cutoff's eve.";

    private static FeatureDefinition replies(String name, int days) {
        return new FeatureDefinition(name, NUMBER, "replies", days + "d",
                "Count of 'Email Replied' events on the last " + days + " UTC days including today.");
    }

    private static FeatureDefinition clickToOpen(String name, int days) {
        return new FeatureDefinition(name, NUMBER, "ratio (0-1)", days + "d", ("Clicks over opens on the last %1$d UTC "
                + "days: emails_clicked_%1$dd / max(emails_opened_%1$dd, emails_clicked_%1$dd). A click implies its email "
                + "was opened, so a click whose open was a machine open or untracked counts as one; the ratio stays "
                + "within 0-1 and is 0 without opens or clicks. Event counts, not unique emails.").formatted(days));
    }

    public static final List<FeatureDefinition> FEATURES = List.of(
            new FeatureDefinition(FeatureNames.EMAILS_DELIVERED_30D, NUMBER, "emails", WINDOW_30D,
                    "Count of 'Email Delivered' events on the last 30 UTC days including today."),
            new FeatureDefinition(FeatureNames.EMAILS_OPENED_30D, NUMBER, "emails", WINDOW_30D,
                    "Count of 'Email Opened' events on the last 30 UTC days including today, "
                            + "excluding machine opens (properties.machineOpen = true)."),
            new FeatureDefinition(FeatureNames.EMAILS_CLICKED_30D, NUMBER, "clicks", WINDOW_30D,
                    "Count of 'Email Link Clicked' events on the last 30 UTC days including today."),
            new FeatureDefinition(FeatureNames.DAYS_SINCE_LAST_OPEN, NUMBER, "days", "all time",
                    "UTC calendar days from the day of the latest human 'Email Opened' to the day the vector "
                            + "was computed (0 = today); absent when the subscriber never opened an email."),
            new FeatureDefinition(FeatureNames.ORDERS_90D, NUMBER, "orders", WINDOW_90D,
                    "Count of 'Order Completed' events on the last 90 UTC days including today."),
            new FeatureDefinition(FeatureNames.REVENUE_90D, NUMBER, "currency units", WINDOW_90D,
                    "Sum of 'Order Completed' properties.revenue (else properties.total, else 0) "
                            + "on the last 90 UTC days including today."),
            new FeatureDefinition(FeatureNames.UNSUBSCRIBED, NUMBER, FLAG, CURRENT,
                    "1 once an 'Unsubscribed' event was seen for the subscriber (sticky: only erasure clears it), else 0."),
            new FeatureDefinition(FeatureNames.COMPLAINED, NUMBER, FLAG, CURRENT,
                    "1 once an 'Email Marked as Spam' event was seen (sticky), else 0."),
            new FeatureDefinition(FeatureNames.HARD_BOUNCED, NUMBER, FLAG, CURRENT,
                    "1 once an 'Email Bounced' with properties.bounceType 'hard' or 'permanent' (any case) was seen "
                            + "(sticky), else 0. Soft bounces never set it."),
            new FeatureDefinition(FeatureNames.EMAIL_CONSENT, NUMBER, FLAG, CURRENT,
                    "0 when the latest (by event time) 'Consent Updated' with properties.channel 'email' has "
                            + "properties.granted = false; 1 otherwise, including when no consent event was ever seen "
                            + "(consent is assumed from the subscription unless explicitly revoked)."),
            new FeatureDefinition(FeatureNames.SUPPRESSED, NUMBER, FLAG, CURRENT,
                    "1 when unsubscribed, complained or hard_bounced is 1 or email_consent is 0: never send email."),
            new FeatureDefinition(FeatureNames.EMAILS_SENT_7D, NUMBER, "emails", WINDOW_7D,
                    "Count of 'Email Sent' events on the last 7 UTC days including today."),
            new FeatureDefinition(FeatureNames.EMAILS_SENT_30D, NUMBER, "emails", WINDOW_30D,
                    "Count of 'Email Sent' events on the last 30 UTC days including today."),
            new FeatureDefinition(FeatureNames.EMAILS_SENT_90D, NUMBER, "emails", WINDOW_90D,
                    "Count of 'Email Sent' events on the last 90 UTC days including today."),
            new FeatureDefinition(FeatureNames.EMAILS_OPENED_7D, NUMBER, "emails", WINDOW_7D,
                    "Count of human 'Email Opened' events (machine opens excluded) on the last 7 UTC days."),
            new FeatureDefinition(FeatureNames.EMAILS_OPENED_90D, NUMBER, "emails", WINDOW_90D,
                    "Count of human 'Email Opened' events (machine opens excluded) on the last 90 UTC days."),
            new FeatureDefinition(FeatureNames.EMAILS_CLICKED_7D, NUMBER, "clicks", WINDOW_7D,
                    "Count of 'Email Link Clicked' events on the last 7 UTC days including today."),
            new FeatureDefinition(FeatureNames.EMAILS_CLICKED_90D, NUMBER, "clicks", WINDOW_90D,
                    "Count of 'Email Link Clicked' events on the last 90 UTC days including today."),
            replies(FeatureNames.EMAILS_REPLIED_30D, 30),
            clickToOpen(FeatureNames.CLICK_TO_OPEN_30D, 30),
            new FeatureDefinition(FeatureNames.DAYS_SINCE_LAST_CLICK, NUMBER, "days", ALL_TIME,
                    "UTC calendar days from the day of the latest 'Email Link Clicked' to the day the vector was "
                            + "computed (0 = today); absent when the subscriber never clicked."),
            new FeatureDefinition(FeatureNames.DAYS_SINCE_LAST_ORDER, NUMBER, "days", ALL_TIME,
                    "UTC calendar days from the day of the latest 'Order Completed' to the day the vector was "
                            + "computed (0 = today); absent when the subscriber never ordered."),
            new FeatureDefinition(FeatureNames.ORDERS_365D, NUMBER, "orders", WINDOW_365D,
                    "Count of 'Order Completed' events on the last 365 UTC days including today."),
            new FeatureDefinition(FeatureNames.REVENUE_365D, NUMBER, "currency units", WINDOW_365D,
                    "Sum of order revenue (as revenue_90d) on the last 365 UTC days including today."),
            new FeatureDefinition(FeatureNames.AVERAGE_ORDER_VALUE_365D, NUMBER, "currency units", WINDOW_365D,
                    "revenue_365d / orders_365d; absent when there was no order in the window."),
            new FeatureDefinition(FeatureNames.PAGE_VIEWS_30D, NUMBER, "page views", WINDOW_30D,
                    "Count of page calls (type page) on the last 30 UTC days including today."),
            new FeatureDefinition(FeatureNames.PRICING_PAGE_VIEWS_30D, NUMBER, "page views", WINDOW_30D,
                    "Count of page calls on the last 30 UTC days whose name (or properties.name), "
                            + "properties.category, properties.url, properties.path or properties.title contains "
                            + "'pricing' or 'compar' (comparison, compare), ignoring case."),
            new FeatureDefinition(FeatureNames.TENURE_DAYS, NUMBER, "days", ALL_TIME,
                    "UTC calendar days from the day of the earliest event seen for the subscriber to the day "
                            + "the vector was computed (0 = first seen today)."),
            new FeatureDefinition(FeatureNames.RFM_RECENCY_DAYS, NUMBER, "days", WINDOW_365D,
                    "RFM recency: whole UTC days from the latest day with an 'Order Completed' in the last 365 UTC "
                            + "days to today (0 = ordered today); absent when there was no order in the window."),
            new FeatureDefinition(FeatureNames.RFM_FREQUENCY, NUMBER, "orders", WINDOW_365D,
                    "RFM frequency: count of 'Order Completed' events in the last 365 UTC days (= orders_365d)."),
            new FeatureDefinition(FeatureNames.RFM_MONETARY, NUMBER, "currency units", WINDOW_365D,
                    "RFM monetary: order revenue in the last 365 UTC days (= revenue_365d)."),
            new FeatureDefinition(FeatureNames.RFM_R_SCORE, NUMBER, "score 1-5", WINDOW_365D, "Quintile score of rfm_recency_days (fewer days is better),"
                    + RFM_SCORE),
            new FeatureDefinition(FeatureNames.RFM_F_SCORE, NUMBER, "score 1-5", WINDOW_365D, "Quintile score of rfm_frequency," + RFM_SCORE),
            new FeatureDefinition(FeatureNames.RFM_M_SCORE, NUMBER, "score 1-5", WINDOW_365D, "Quintile score of rfm_monetary," + RFM_SCORE),
            new FeatureDefinition(FeatureNames.ENGAGED_SENDS_LAST_5, NUMBER, "sends (0-5)", "last 5 sends",
                    "Of the subscriber's 5 most recent sends (an 'Email Sent' or 'Email Delivered', one send per "
                            + "properties.emailId, else campaignId, else the event's messageId; ordered by the send "
                            + "time), how many got a human 'Email Opened' (machine opens excluded) or an 'Email Link "
                            + "Clicked' with the same id. 0 without sends. Not in training rows (only the last 5 "
                            + "sends are kept)."),
            new FeatureDefinition(FeatureNames.ENGAGEMENT_DECAY_SLOPE_8W, NUMBER, "engagements per week per week",
                    "8 weeks",
                    "Least-squares slope of weekly engagement (human opens + clicks) over 8 weekly buckets: bucket 7 "
                            + "is the last 7 UTC days including today, bucket 0 the days 50-56 days ago; slope = "
                            + "sum((x - 3.5)(y - mean y)) / 42. Negative = decaying, 0 when flat or inactive."),
            new FeatureDefinition(FeatureNames.ORDER_FREQUENCY_365D, NUMBER, "orders per 30 days", WINDOW_365D,
                    "orders_365d * 30 / observed days, where observed days = days since first seen + 1, "
                            + "clamped to 30..365 (a subscriber seen for a week is not credited with 4 orders a "
                            + "month for one order)."),
            new FeatureDefinition(FeatureNames.MOBILE_SHARE_90D, NUMBER, "ratio (0-1)", WINDOW_90D,
                    "Events from mobile devices / events with a known device, in the last 90 UTC days. Device: "
                            + "context.device.type (mobile, phone, smartphone, tablet, ios, android, ipad, iphone = "
                            + "mobile; desktop, computer, pc, laptop, mac, macos, windows, linux = desktop), else "
                            + "context.userAgent (containing mobi, android, iphone or ipad = mobile, any other = "
                            + "desktop). Absent when no event in the window carried device information."),
            new FeatureDefinition(FeatureNames.PRODUCT_VIEWS_30D, NUMBER, "product views", WINDOW_30D,
                    "Count of 'Product Viewed' events on the last 30 UTC days including today."),
            new FeatureDefinition(FeatureNames.ACCOUNT_TIER, NUMBER, "tier (1 = top)", CURRENT,
                    "The account's 'tier' group trait: a number, or the first digits of a text ('Tier 1' = 1). "
                            + "Absent without an account or tier. " + ACCOUNT_NOTE),
            new FeatureDefinition(FeatureNames.ACCOUNT_TARGET, NUMBER, FLAG, CURRENT,
                    "1 when the account's 'target' group trait is true, 'true', 'yes' or 1, else 0. "
                            + ACCOUNT_NOTE),
            new FeatureDefinition(FeatureNames.ACCOUNT_CONTACTS, NUMBER, "contacts", CURRENT,
                    "Subscribers linked to the account (by a group call or an accountId on any call). "
                            + ACCOUNT_NOTE),
            new FeatureDefinition(FeatureNames.ACCOUNT_ENGAGED_CONTACTS_30D, NUMBER, "contacts", WINDOW_30D,
                    "Contacts of the account with a human open, a click, a reply or a page view on the last 30 "
                            + "UTC days. " + ACCOUNT_NOTE),
            new FeatureDefinition(FeatureNames.ACCOUNT_INTENT_SIGNALS_30D, NUMBER, "signals", WINDOW_30D,
                    "Count of 'Intent Signal' events for the account (properties.topic; strength is kept per "
                            + "topic but not weighted) on the last 30 UTC days: sum of account_intent_30d.*. "
                            + ACCOUNT_NOTE),
            new FeatureDefinition(FeatureNames.ACCOUNT_PRICING_INTENT_30D, NUMBER, "signals", WINDOW_30D,
                    "Pricing/comparison page views of the account's contacts (as pricing_page_views_30d) plus "
                            + "'Intent Signal' events whose topic contains 'pricing' or 'compar', on the last 30 UTC "
                            + "days. " + ACCOUNT_NOTE),
            new FeatureDefinition(FeatureNames.ACCOUNT_REVENUE_365D, NUMBER, "currency units", WINDOW_365D,
                    "Order revenue of all the account's contacts on the last 365 UTC days. " + ACCOUNT_NOTE),
            replies(FeatureNames.EMAILS_REPLIED_7D, 7),
            replies(FeatureNames.EMAILS_REPLIED_90D, 90),
            clickToOpen(FeatureNames.CLICK_TO_OPEN_7D, 7),
            clickToOpen(FeatureNames.CLICK_TO_OPEN_90D, 90),
            new FeatureDefinition(FeatureNames.ORDERS_TOTAL, NUMBER, "orders", ALL_TIME,
                    "Count of 'Order Completed' events ever (lifetime: every kept day and the monthly rollup of "
                            + "older ones; only erasure resets it)."),
            new FeatureDefinition(FeatureNames.REVENUE_TOTAL, NUMBER, "currency units", ALL_TIME,
                    "Sum of order revenue (as revenue_90d) ever (lifetime, as orders_total)."),
            new FeatureDefinition(FeatureNames.ORDERS_30D, NUMBER, "orders", WINDOW_30D,
                    "Count of 'Order Completed' events on the last 30 UTC days including today."),
            new FeatureDefinition(FeatureNames.REVENUE_30D, NUMBER, "currency units", WINDOW_30D,
                    "Sum of order revenue (as revenue_90d) on the last 30 UTC days including today."));

    /** The dynamic families: {@code name} is the prefix, followed in the vector by the key. */
    public static final List<FeatureDefinition> FAMILIES = List.of(
            new FeatureDefinition(FeatureNames.CATEGORY_SHARE_90D_PREFIX + "<category>", NUMBER, "ratio (0-1)",
                    WINDOW_90D,
                    "Share of the category among the subscriber's categorised product views and ordered products "
                            + "(a 'Product Viewed' properties.category; each of an 'Order Completed' "
                            + "properties.products[].category, else its properties.category) on the last 90 UTC "
                            + "days. Key: the category trimmed and lower-cased (at most 64 characters). Only "
                            + "categories seen in the window are present; the shares sum to 1."),
            new FeatureDefinition(FeatureNames.ACCOUNT_INTENT_30D_PREFIX + "<topic>", NUMBER, "signals", WINDOW_30D,
                    "Count of the account's 'Intent Signal' events with that properties.topic (trimmed, "
                            + "lower-cased) on the last 30 UTC days. Only topics with signals are present. "
                            + ACCOUNT_NOTE),
            new FeatureDefinition(FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX + "<0-167>", NUMBER, "engagements",
                    WINDOW_90D,
                    "Human opens and clicks in the last 90 UTC days per hour of the week in UTC: bin = (ISO weekday "
                            + "- 1) * 24 + hour, so 0 = Monday 00:00-00:59 UTC and 167 = Sunday 23:00-23:59 UTC. "
                            + "Only non-zero bins are present. UTC (not the subscriber's zone) so bins of different "
                            + "subscribers are comparable; shift by the timezone label's offset for local time."));

    /** The categorical features carried in the vector's {@code labels}. */
    public static final List<FeatureDefinition> LABELS = List.of(
            new FeatureDefinition(FeatureNames.RFM_GROUP, LABEL, "one of " + FeatureNames.RFM_GROUPS, WINDOW_365D,
                    "From R and FM = ceil((F + M) / 2), first match: New: R = 5 and FM = 1; Champions: R >= 4 and "
                            + "FM >= 4; Loyal: R = 3 and FM >= 3; Potential: R >= 3; At Risk: R <= 2 and FM >= 3; "
                            + "Hibernating: R = 2; Lost: R = 1, or ordered before but not in the last 365 days (then without "
                            + "scores). Absent for subscribers who never ordered, or before the first RFM scoring."),
            new FeatureDefinition(FeatureNames.LIFECYCLE_STAGE, LABEL,
                    "one of " + FeatureCalculator.LIFECYCLE_STAGES, CURRENT,
                    "First match: new (first seen less than 30 days ago); active (an order in 90 days or a human "
                            + "open or click in 30 days); at_risk (a human open, click or order in 90 days); lapsed "
                            + "(one in 365 days); dormant. Suppression is separate (the suppressed feature)."),
            new FeatureDefinition(FeatureNames.ACCOUNT_ID, LABEL, "account id", CURRENT,
                    "The account the subscriber was last linked to: groupId of a group call, or accountId / "
                            + "context.groupId of any call. Absent without an account."),
            new FeatureDefinition(FeatureNames.TIMEZONE, LABEL, "IANA time-zone id", CURRENT,
                    "context.timezone of the latest call that carried one, else the identify trait 'timezone'; "
                            + "only valid zone ids (java.time.ZoneId) are kept. Absent when unknown."));

    /** Every numeric feature name, family and label, for documentation. */
    public static List<FeatureDefinition> everything() {
        List<FeatureDefinition> all = new java.util.ArrayList<>(FEATURES);
        all.addAll(FAMILIES);
        all.addAll(LABELS);
        return all;
    }

    private FeatureCatalog() {
    }
}
