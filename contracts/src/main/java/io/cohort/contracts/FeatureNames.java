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

    public static final List<String> ALL = List.of(
            EMAILS_DELIVERED_30D, EMAILS_OPENED_30D, EMAILS_CLICKED_30D,
            DAYS_SINCE_LAST_OPEN, ORDERS_90D, REVENUE_90D);

    private FeatureNames() {
    }
}
