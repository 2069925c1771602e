package io.cohort.model.domain;

import java.util.List;

/** The model families this service knows; each has its own version line in the registry. */
public final class ModelFamilies {

    /** K-Means over standardised behavioural features; publishes a cluster per subscriber. */
    public static final String CLUSTERING_BEHAVIOURAL = "clustering.behavioural";

    /** BG/NBD + Gamma-Gamma: P(alive), expected orders, expected days to the next order, 365-day value. */
    public static final String CLV_BTYD = "clv.btyd";

    /** Calibrated logistic regressions on feature-service point-in-time training sets. */
    public static final String PROPENSITY_CLICKED_7D = "propensity.clicked_7d";
    public static final String PROPENSITY_ORDERED_7D = "propensity.ordered_7d";
    public static final String PROPENSITY_UNSUBSCRIBED_7D = "propensity.unsubscribed_7d";
    public static final String CHURN_90D = "churn.90d";

    /** Best hour of week to send, smoothed toward the population's engagement hours. */
    public static final String SENDTIME = "sendtime";

    public static final List<String> ALL = List.of(CLUSTERING_BEHAVIOURAL, CLV_BTYD, PROPENSITY_CLICKED_7D,
            PROPENSITY_ORDERED_7D, PROPENSITY_UNSUBSCRIBED_7D, CHURN_90D, SENDTIME);

    /** Families fitted synchronously on the stored snapshots (no labels needed). */
    public static final List<String> SNAPSHOT_FAMILIES = List.of(CLV_BTYD, SENDTIME);

    /** Families that publish named scores (everything except the clustering, which publishes a cluster). */
    public static final List<String> PREDICTORS = List.of(CLV_BTYD, PROPENSITY_CLICKED_7D, PROPENSITY_ORDERED_7D,
            PROPENSITY_UNSUBSCRIBED_7D, CHURN_90D, SENDTIME);

    private ModelFamilies() {
    }

    public static boolean isKnown(String family) {
        return ALL.contains(family);
    }
}
