package io.cohort.feature.domain;

import io.cohort.contracts.FeatureNames;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Computes a subscriber's feature vector as of a moment from their daily aggregates. A window of
 * N days is the last N UTC days including today: day d counts when {@code today - N < d <= today}.
 * Pure: the caller passes "now".
 */
public final class FeatureCalculator {

    public static final int ENGAGEMENT_WINDOW_DAYS = 30;
    public static final int PURCHASE_WINDOW_DAYS = 90;
    /** The oldest window: aggregates older than this never change a feature. */
    public static final int LONGEST_WINDOW_DAYS = Math.max(ENGAGEMENT_WINDOW_DAYS, PURCHASE_WINDOW_DAYS);

    /**
     * @param days       the subscriber's daily aggregates (any range; days outside a window are ignored)
     * @param lastOpenAt the latest human open, or null when the subscriber never opened
     * @param now        the moment the vector describes
     */
    public Map<String, Double> compute(Collection<DailyActivity> days, Instant lastOpenAt, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        long delivered = 0;
        long opened = 0;
        long clicked = 0;
        long orders = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        for (DailyActivity day : days) {
            if (inWindow(day.day(), today, ENGAGEMENT_WINDOW_DAYS)) {
                delivered += day.delivered();
                opened += day.opened();
                clicked += day.clicked();
            }
            if (inWindow(day.day(), today, PURCHASE_WINDOW_DAYS)) {
                orders += day.orders();
                revenue = revenue.add(day.revenue());
            }
        }
        Map<String, Double> features = new LinkedHashMap<>();
        features.put(FeatureNames.EMAILS_DELIVERED_30D, (double) delivered);
        features.put(FeatureNames.EMAILS_OPENED_30D, (double) opened);
        features.put(FeatureNames.EMAILS_CLICKED_30D, (double) clicked);
        if (lastOpenAt != null) {
            features.put(FeatureNames.DAYS_SINCE_LAST_OPEN, (double) daysBetween(lastOpenAt, now));
        }
        features.put(FeatureNames.ORDERS_90D, (double) orders);
        features.put(FeatureNames.REVENUE_90D, revenue.doubleValue());
        return features;
    }

    static boolean inWindow(LocalDate day, LocalDate today, int windowDays) {
        return day.isAfter(today.minusDays(windowDays)) && !day.isAfter(today);
    }

    /** Whole days elapsed (floor); an open dated after "now" (client clock skew) counts as today. */
    static long daysBetween(Instant earlier, Instant now) {
        return Math.max(0, Duration.between(earlier, now).toDays());
    }
}
