package io.cohort.feature.domain;

import io.cohort.contracts.FeatureNames;
import java.math.BigDecimal;
import java.math.MathContext;
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

    public static final int WEEK_WINDOW_DAYS = 7;
    public static final int ENGAGEMENT_WINDOW_DAYS = 30;
    public static final int PURCHASE_WINDOW_DAYS = 90;
    public static final int YEAR_WINDOW_DAYS = 365;
    /** The oldest window: aggregates older than this never change a feature. */
    public static final int LONGEST_WINDOW_DAYS = YEAR_WINDOW_DAYS;

    /** The first-release signature: a subscriber of whom only the last open is known. */
    public Map<String, Double> compute(Collection<DailyActivity> days, Instant lastOpenAt, Instant now) {
        return computeFor(days, SubscriberState.openedAt(lastOpenAt), now);
    }

    /**
     * @param days  the subscriber's daily aggregates (any range; days outside a window are ignored)
     * @param state the profile facts (last open/click/order, first seen, suppression, consent)
     * @param now   the moment the vector describes
     */
    public Map<String, Double> computeFor(Collection<DailyActivity> days, SubscriberState state, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Window w7 = new Window();
        Window w30 = new Window();
        Window w90 = new Window();
        Window w365 = new Window();
        for (DailyActivity day : days) {
            if (inWindow(day.day(), today, WEEK_WINDOW_DAYS)) {
                w7.add(day);
            }
            if (inWindow(day.day(), today, ENGAGEMENT_WINDOW_DAYS)) {
                w30.add(day);
            }
            if (inWindow(day.day(), today, PURCHASE_WINDOW_DAYS)) {
                w90.add(day);
            }
            if (inWindow(day.day(), today, YEAR_WINDOW_DAYS)) {
                w365.add(day);
            }
        }
        Map<String, Double> features = new LinkedHashMap<>();
        features.put(FeatureNames.EMAILS_DELIVERED_30D, (double) w30.delivered);
        features.put(FeatureNames.EMAILS_OPENED_30D, (double) w30.opened);
        features.put(FeatureNames.EMAILS_CLICKED_30D, (double) w30.clicked);
        if (state.lastOpenAt() != null) {
            features.put(FeatureNames.DAYS_SINCE_LAST_OPEN, (double) daysBetween(state.lastOpenAt(), now));
        }
        features.put(FeatureNames.ORDERS_90D, (double) w90.orders);
        features.put(FeatureNames.REVENUE_90D, w90.revenue.doubleValue());

        features.put(FeatureNames.UNSUBSCRIBED, flag(state.unsubscribed()));
        features.put(FeatureNames.COMPLAINED, flag(state.complained()));
        features.put(FeatureNames.HARD_BOUNCED, flag(state.hardBounced()));
        features.put(FeatureNames.EMAIL_CONSENT, flag(state.emailConsent()));
        features.put(FeatureNames.SUPPRESSED, flag(state.suppressed()));

        features.put(FeatureNames.EMAILS_SENT_7D, (double) w7.sent);
        features.put(FeatureNames.EMAILS_SENT_30D, (double) w30.sent);
        features.put(FeatureNames.EMAILS_SENT_90D, (double) w90.sent);
        features.put(FeatureNames.EMAILS_OPENED_7D, (double) w7.opened);
        features.put(FeatureNames.EMAILS_OPENED_90D, (double) w90.opened);
        features.put(FeatureNames.EMAILS_CLICKED_7D, (double) w7.clicked);
        features.put(FeatureNames.EMAILS_CLICKED_90D, (double) w90.clicked);
        features.put(FeatureNames.EMAILS_REPLIED_30D, (double) w30.replied);
        features.put(FeatureNames.CLICK_TO_OPEN_30D, w30.opened == 0 ? 0.0 : (double) w30.clicked / w30.opened);
        if (state.lastClickAt() != null) {
            features.put(FeatureNames.DAYS_SINCE_LAST_CLICK, (double) daysBetween(state.lastClickAt(), now));
        }
        if (state.lastOrderAt() != null) {
            features.put(FeatureNames.DAYS_SINCE_LAST_ORDER, (double) daysBetween(state.lastOrderAt(), now));
        }
        features.put(FeatureNames.ORDERS_365D, (double) w365.orders);
        features.put(FeatureNames.REVENUE_365D, w365.revenue.doubleValue());
        if (w365.orders > 0) {
            features.put(FeatureNames.AVERAGE_ORDER_VALUE_365D,
                    w365.revenue.divide(BigDecimal.valueOf(w365.orders), MathContext.DECIMAL64).doubleValue());
        }
        features.put(FeatureNames.PAGE_VIEWS_30D, (double) w30.pageViews);
        features.put(FeatureNames.PRICING_PAGE_VIEWS_30D, (double) w30.pricingPageViews);
        if (state.firstSeen() != null) {
            features.put(FeatureNames.TENURE_DAYS, (double) daysBetween(state.firstSeen(), now));
        }
        return features;
    }

    static boolean inWindow(LocalDate day, LocalDate today, int windowDays) {
        return day.isAfter(today.minusDays(windowDays)) && !day.isAfter(today);
    }

    /** Whole days elapsed (floor); a moment dated after "now" (client clock skew) counts as today. */
    static long daysBetween(Instant earlier, Instant now) {
        return Math.max(0, Duration.between(earlier, now).toDays());
    }

    private static double flag(boolean value) {
        return value ? 1.0 : 0.0;
    }

    /** Sums of one window. */
    private static final class Window {
        long delivered;
        long opened;
        long clicked;
        long orders;
        BigDecimal revenue = BigDecimal.ZERO;
        long sent;
        long replied;
        long pageViews;
        long pricingPageViews;

        void add(DailyActivity day) {
            delivered += day.delivered();
            opened += day.opened();
            clicked += day.clicked();
            orders += day.orders();
            revenue = revenue.add(day.revenue());
            sent += day.sent();
            replied += day.replied();
            pageViews += day.pageViews();
            pricingPageViews += day.pricingPageViews();
        }
    }
}
