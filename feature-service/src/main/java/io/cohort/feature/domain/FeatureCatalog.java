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

    public static final List<FeatureDefinition> FEATURES = List.of(
            new FeatureDefinition(FeatureNames.EMAILS_DELIVERED_30D, NUMBER, "emails", WINDOW_30D,
                    "Count of 'Email Delivered' events on the last 30 UTC days including today."),
            new FeatureDefinition(FeatureNames.EMAILS_OPENED_30D, NUMBER, "emails", WINDOW_30D,
                    "Count of 'Email Opened' events on the last 30 UTC days including today, "
                            + "excluding machine opens (properties.machineOpen = true)."),
            new FeatureDefinition(FeatureNames.EMAILS_CLICKED_30D, NUMBER, "clicks", WINDOW_30D,
                    "Count of 'Email Link Clicked' events on the last 30 UTC days including today."),
            new FeatureDefinition(FeatureNames.DAYS_SINCE_LAST_OPEN, NUMBER, "days", "all time",
                    "Whole days (rounded down) from the latest human 'Email Opened' to the time the vector "
                            + "was computed; absent when the subscriber never opened an email."),
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
            new FeatureDefinition(FeatureNames.EMAILS_REPLIED_30D, NUMBER, "replies", WINDOW_30D,
                    "Count of 'Email Replied' events on the last 30 UTC days including today."),
            new FeatureDefinition(FeatureNames.CLICK_TO_OPEN_30D, NUMBER, "ratio", WINDOW_30D,
                    "emails_clicked_30d / emails_opened_30d; 0 when there was no human open. Not capped: clicks "
                            + "whose open was a machine open or untracked can make it exceed 1."),
            new FeatureDefinition(FeatureNames.DAYS_SINCE_LAST_CLICK, NUMBER, "days", ALL_TIME,
                    "Whole days (rounded down) from the latest 'Email Link Clicked' to the time the vector was "
                            + "computed; absent when the subscriber never clicked."),
            new FeatureDefinition(FeatureNames.DAYS_SINCE_LAST_ORDER, NUMBER, "days", ALL_TIME,
                    "Whole days (rounded down) from the latest 'Order Completed' to the time the vector was "
                            + "computed; absent when the subscriber never ordered."),
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
                    "Whole days (rounded down) from the earliest event time seen for the subscriber to the time "
                            + "the vector was computed."));

    private FeatureCatalog() {
    }
}
