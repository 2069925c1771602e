package io.cohort.model.domain.clv;

import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.ScoreNames;
import io.cohort.model.domain.SubscriberPredictor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * BG/NBD × Gamma-Gamma on subscriber features, in days. The artifact of family {@code clv.btyd}
 * is this record as JSON.
 *
 * <p>Mapping from features (all over the last {@link #WINDOW_DAYS} days): a subscriber is "born"
 * when first seen (or at the window start if earlier), so T = min(tenure_days, 365); every order in
 * the window is a purchase after birth: x = rfm_frequency (else orders_365d); the last one was
 * tx = T − rfm_recency_days (else days_since_last_order) days after birth; the mean order value is
 * average_order_value_365d (else revenue_365d / orders_365d). Subscribers without tenure_days are
 * not scored.
 *
 * @param bgNbd purchase/dropout model (time unit: day)
 * @param gammaGamma order value model
 * @param fallbackOrderValue expected order value of a subscriber with no (positive) order value:
 *                           the Gamma-Gamma population mean pγ/(q−1), or the training mean when q ≤ 1
 */
public record ClvModel(BgNbd bgNbd, GammaGamma gammaGamma, double fallbackOrderValue) implements SubscriberPredictor {

    public static final int WINDOW_DAYS = 365;
    public static final int ORDERS_HORIZON_DAYS = 90;
    public static final int VALUE_HORIZON_DAYS = 365;
    /** Expected days to the next order are left out beyond this (a subscriber most likely gone). */
    public static final int NEXT_ORDER_LIMIT_DAYS = 730;

    /** The BG/NBD and Gamma-Gamma inputs of one subscriber. */
    public record Inputs(BgNbd.Customer customer, double meanOrderValue) {
    }

    public static Optional<Inputs> inputs(Map<String, Double> features) {
        Double tenure = features.get(FeatureNames.TENURE_DAYS);
        if (tenure == null || !(tenure >= 0)) {
            return Optional.empty();
        }
        double T = Math.min(tenure, WINDOW_DAYS);
        double x = Math.max(0, Math.round(first(features, FeatureNames.RFM_FREQUENCY, FeatureNames.ORDERS_365D, 0)));
        double tx = 0;
        double meanValue = 0;
        if (x > 0) {
            double recency = first(features, FeatureNames.RFM_RECENCY_DAYS, FeatureNames.DAYS_SINCE_LAST_ORDER, 0);
            tx = Math.max(0, Math.min(T, T - recency));
            Double aov = features.get(FeatureNames.AVERAGE_ORDER_VALUE_365D);
            Double revenue = features.get(FeatureNames.REVENUE_365D);
            Double orders = features.get(FeatureNames.ORDERS_365D);
            if (aov != null) {
                meanValue = aov;
            } else if (revenue != null && orders != null && orders > 0) {
                meanValue = revenue / orders;
            }
        }
        return Optional.of(new Inputs(new BgNbd.Customer(x, tx, T), meanValue));
    }

    private static double first(Map<String, Double> features, String name, String fallback, double otherwise) {
        Double value = features.get(name);
        if (value == null) {
            value = features.get(fallback);
        }
        return value == null || !Double.isFinite(value) ? otherwise : value;
    }

    /** Expected value of one future order of this subscriber. */
    public double expectedOrderValue(Inputs in) {
        if (in.customer().x() > 0 && in.meanOrderValue() > 0) {
            return gammaGamma.conditionalExpectedValue(in.customer().x(), in.meanOrderValue());
        }
        return fallbackOrderValue;
    }

    @Override
    public Prediction predict(Map<String, Double> features) {
        Optional<Inputs> maybe = inputs(features);
        if (maybe.isEmpty()) {
            return Prediction.empty();
        }
        Inputs in = maybe.get();
        BgNbd.Customer c = in.customer();
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put(ScoreNames.P_ALIVE, bgNbd.probabilityAlive(c));
        scores.put(ScoreNames.EXPECTED_ORDERS_90D, bgNbd.conditionalExpectedPurchases(ORDERS_HORIZON_DAYS, c));
        double days = bgNbd.timeToOneExpectedPurchase(c, NEXT_ORDER_LIMIT_DAYS);
        if (Double.isFinite(days)) {
            scores.put(ScoreNames.EXPECTED_DAYS_TO_NEXT_ORDER, days);
        }
        double value = bgNbd.conditionalExpectedPurchases(VALUE_HORIZON_DAYS, c) * expectedOrderValue(in);
        if (Double.isFinite(value)) {
            scores.put(ScoreNames.CLV_365D, value);
        }
        scores.values().removeIf(v -> !Double.isFinite(v));
        return new Prediction(scores, Map.of());
    }
}
