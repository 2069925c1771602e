package io.cohort.contracts;

import java.util.List;

/**
 * Names of the numeric outputs in {@link SubscriberScores#scores()}. model-service owns their
 * meaning (its model registry and docs/MODELS.md); segment-service conditions and plans read them.
 * Propensities and P(alive) are calibrated probabilities in [0, 1].
 */
public final class ScoreNames {
    /** P(clicks an email within 7 days). */
    public static final String PROPENSITY_CLICKED_7D = "propensity.clicked_7d";
    /** P(places an order within 7 days). */
    public static final String PROPENSITY_ORDERED_7D = "propensity.ordered_7d";
    /** P(unsubscribes within 7 days). */
    public static final String PROPENSITY_UNSUBSCRIBED_7D = "propensity.unsubscribed_7d";
    /** P(no order and no open within 90 days). */
    public static final String CHURN_90D = "churn.90d";
    /** BG/NBD probability that the customer is still active. */
    public static final String P_ALIVE = "clv.p_alive";
    /** BG/NBD expected number of orders in the next 90 days. */
    public static final String EXPECTED_ORDERS_90D = "clv.expected_orders_90d";
    /** Expected days until the next order (absent when P(alive) is negligible). */
    public static final String EXPECTED_DAYS_TO_NEXT_ORDER = "clv.expected_days_to_next_order";
    /** BG/NBD x Gamma-Gamma customer value over the next 365 days, in the revenue currency. */
    public static final String CLV_365D = "clv.value_365d";
    /** Best hour of the week to send (0 = Monday 00:00 UTC ... 167 = Sunday 23:00 UTC). */
    public static final String SEND_HOUR_OF_WEEK = "sendtime.hour_of_week";

    public static final List<String> ALL = List.of(
            PROPENSITY_CLICKED_7D, PROPENSITY_ORDERED_7D, PROPENSITY_UNSUBSCRIBED_7D, CHURN_90D,
            P_ALIVE, EXPECTED_ORDERS_90D, EXPECTED_DAYS_TO_NEXT_ORDER, CLV_365D, SEND_HOUR_OF_WEEK);

    private ScoreNames() {
    }
}
