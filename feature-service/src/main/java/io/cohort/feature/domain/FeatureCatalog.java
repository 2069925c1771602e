package io.cohort.feature.domain;

import io.cohort.contracts.FeatureNames;
import java.util.List;

/** The definitions of every feature feature-service publishes, in {@link FeatureNames#ALL} order. */
public final class FeatureCatalog {

    private static final String NUMBER = "number";
    private static final String WINDOW_30D = "30d";
    private static final String WINDOW_90D = "90d";

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
                            + "on the last 90 UTC days including today."));

    private FeatureCatalog() {
    }
}
