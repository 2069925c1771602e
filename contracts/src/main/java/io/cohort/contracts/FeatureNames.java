package io.cohort.contracts;

import java.util.List;

/**
 * Names of the features carried in {@link FeatureVector#features()}. feature-service owns their
 * definitions (its catalogue); the names are part of the contract because model-service and
 * segment-service read them.
 */
public final class FeatureNames {
    public static final String EMAILS_DELIVERED_30D = "emails_delivered_30d";
    public static final String EMAILS_OPENED_30D = "emails_opened_30d";
    public static final String EMAILS_CLICKED_30D = "emails_clicked_30d";
    /** Absent when the subscriber never opened an email. */
    public static final String DAYS_SINCE_LAST_OPEN = "days_since_last_open";
    public static final String ORDERS_90D = "orders_90d";
    public static final String REVENUE_90D = "revenue_90d";

    // Suppression and consent (0/1); segment-service must never send to suppressed = 1
    public static final String UNSUBSCRIBED = "unsubscribed";
    public static final String COMPLAINED = "complained";
    public static final String HARD_BOUNCED = "hard_bounced";
    /** 1 unless the latest 'Consent Updated' for channel email revoked it. */
    public static final String EMAIL_CONSENT = "email_consent";
    /** 1 when unsubscribed, complained, hard-bounced or without email consent. */
    public static final String SUPPRESSED = "suppressed";

    // Engagement windows
    public static final String EMAILS_SENT_7D = "emails_sent_7d";
    public static final String EMAILS_SENT_30D = "emails_sent_30d";
    public static final String EMAILS_SENT_90D = "emails_sent_90d";
    public static final String EMAILS_OPENED_7D = "emails_opened_7d";
    public static final String EMAILS_OPENED_90D = "emails_opened_90d";
    public static final String EMAILS_CLICKED_7D = "emails_clicked_7d";
    public static final String EMAILS_CLICKED_90D = "emails_clicked_90d";
    public static final String EMAILS_REPLIED_30D = "emails_replied_30d";
    public static final String CLICK_TO_OPEN_30D = "click_to_open_30d";
    /** Absent when the subscriber never clicked. */
    public static final String DAYS_SINCE_LAST_CLICK = "days_since_last_click";
    /** Absent when the subscriber never ordered. */
    public static final String DAYS_SINCE_LAST_ORDER = "days_since_last_order";
    public static final String ORDERS_365D = "orders_365d";
    public static final String REVENUE_365D = "revenue_365d";
    /** Absent when there was no order in 365 days. */
    public static final String AVERAGE_ORDER_VALUE_365D = "average_order_value_365d";
    public static final String PAGE_VIEWS_30D = "page_views_30d";
    public static final String PRICING_PAGE_VIEWS_30D = "pricing_page_views_30d";
    public static final String TENURE_DAYS = "tenure_days";

    /** Every feature feature-service publishes; rules may use any of them. New names are appended. */
    public static final List<String> ALL = List.of(
            EMAILS_DELIVERED_30D, EMAILS_OPENED_30D, EMAILS_CLICKED_30D,
            DAYS_SINCE_LAST_OPEN, ORDERS_90D, REVENUE_90D,
            UNSUBSCRIBED, COMPLAINED, HARD_BOUNCED, EMAIL_CONSENT, SUPPRESSED,
            EMAILS_SENT_7D, EMAILS_SENT_30D, EMAILS_SENT_90D, EMAILS_OPENED_7D, EMAILS_OPENED_90D,
            EMAILS_CLICKED_7D, EMAILS_CLICKED_90D, EMAILS_REPLIED_30D, CLICK_TO_OPEN_30D,
            DAYS_SINCE_LAST_CLICK, DAYS_SINCE_LAST_ORDER, ORDERS_365D, REVENUE_365D, AVERAGE_ORDER_VALUE_365D,
            PAGE_VIEWS_30D, PRICING_PAGE_VIEWS_30D, TENURE_DAYS);

    /**
     * The behavioural features the default clustering is trained on. Kept apart from {@link #ALL} so
     * that publishing a new feature never silently changes what an existing clustering means.
     */
    public static final List<String> BEHAVIOURAL_CLUSTERING = List.of(
            EMAILS_DELIVERED_30D, EMAILS_OPENED_30D, EMAILS_CLICKED_30D,
            DAYS_SINCE_LAST_OPEN, ORDERS_90D, REVENUE_90D);

    private FeatureNames() {
    }
}
