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

    /** Every feature feature-service publishes; rules may use any of them. New names are appended. */
    public static final List<String> ALL = List.of(
            EMAILS_DELIVERED_30D, EMAILS_OPENED_30D, EMAILS_CLICKED_30D,
            DAYS_SINCE_LAST_OPEN, ORDERS_90D, REVENUE_90D);

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
