package io.cohort.feature.domain;

import io.cohort.contracts.FeatureNames;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
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
        return compute(days, state, Context.NONE, now).features();
    }

    /**
     * What the vector needs besides the daily aggregates and the profile facts; any part may be
     * null, and the features it feeds are then absent (training rows pass {@link #NONE}).
     *
     * @param rfm               the current RFM boundaries (null: no scores, no group)
     * @param engagedSendsLast5 engaged sends among the last 5 (null: absent)
     * @param account           the subscriber's account rollup (null: no account features)
     * @param accountId         the linked account, as a label
     * @param timezone          the subscriber's time zone (an IANA id; others are ignored), as a label
     * @param rfmTiePosition    where the subscriber stands in RFM ties ({@link Rfm#tiePosition})
     * @param ordersBefore      orders and revenue on the days before the ones given to {@link #compute}
     *                          (older daily rows and the monthly rollup), for the lifetime totals
     */
    public record Context(Rfm.Boundaries rfm, Integer engagedSendsLast5, AccountRollup account, String accountId,
            String timezone, double rfmTiePosition, OrderTotals ordersBefore) {
        public static final Context NONE = new Context(null, null, null, null, null);

        public Context {
            ordersBefore = ordersBefore == null ? OrderTotals.NONE : ordersBefore;
        }

        /** Without a tie position (RFM ties take the lower score) and without orders before the given days. */
        public Context(Rfm.Boundaries rfm, Integer engagedSendsLast5, AccountRollup account, String accountId,
                String timezone) {
            this(rfm, engagedSendsLast5, account, accountId, timezone, 0, OrderTotals.NONE);
        }
    }

    /** A computed vector: numeric features and categorical labels. */
    public record Vector(Map<String, Double> features, Map<String, String> labels) {
    }

    public Vector compute(Collection<DailyActivity> days, SubscriberState state, Context context, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Window w7 = new Window();
        Window w30 = new Window();
        Window w90 = new Window();
        Window w365 = new Window();
        long[] weekly = new long[DECAY_WEEKS];
        OrderTotals lifetime = context.ordersBefore();
        for (DailyActivity day : days) {
            if (!day.day().isAfter(today)) {
                lifetime = lifetime.plus(day.orders(), day.revenue());
            }
            long daysAgo = java.time.temporal.ChronoUnit.DAYS.between(day.day(), today);
            if (daysAgo >= 0 && daysAgo < DECAY_WEEKS * 7L) {
                weekly[DECAY_WEEKS - 1 - (int) (daysAgo / 7)] += day.opened() + day.clicked();
            }
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
        Map<String, Double> features = new LinkedHashMap<>(128); // the catalogue without rehashing
        features.put(FeatureNames.EMAILS_DELIVERED_30D, (double) w30.delivered);
        features.put(FeatureNames.EMAILS_OPENED_30D, (double) w30.opened);
        features.put(FeatureNames.EMAILS_CLICKED_30D, (double) w30.clicked);
        if (state.lastOpenAt() != null) {
            features.put(FeatureNames.DAYS_SINCE_LAST_OPEN, (double) daysBetween(state.lastOpenAt(), now));
        }
        features.put(FeatureNames.ORDERS_90D, (double) w90.orders);
        features.put(FeatureNames.REVENUE_90D, w90.revenue.doubleValue());
        features.put(FeatureNames.ORDERS_30D, (double) w30.orders);
        features.put(FeatureNames.REVENUE_30D, w30.revenue.doubleValue());
        features.put(FeatureNames.ORDERS_TOTAL, (double) lifetime.orders());
        features.put(FeatureNames.REVENUE_TOTAL, lifetime.revenue().doubleValue());

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
        features.put(FeatureNames.CLICK_TO_OPEN_30D, clickToOpen(w30));
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

        Map<String, String> labels = new LinkedHashMap<>();
        Rfm.Metrics rfm = Rfm.metrics(days, today);
        if (rfm.recencyDays() != null) {
            features.put(FeatureNames.RFM_RECENCY_DAYS, (double) rfm.recencyDays());
        }
        features.put(FeatureNames.RFM_FREQUENCY, (double) rfm.frequency());
        features.put(FeatureNames.RFM_MONETARY, rfm.monetary().doubleValue());
        Rfm.score(rfm, context.rfm(), context.rfmTiePosition()).ifPresent(scores -> {
            features.put(FeatureNames.RFM_R_SCORE, (double) scores.r());
            features.put(FeatureNames.RFM_F_SCORE, (double) scores.f());
            features.put(FeatureNames.RFM_M_SCORE, (double) scores.m());
            labels.put(FeatureNames.RFM_GROUP, scores.group());
        });
        if (rfm.frequency() == 0 && state.lastOrderAt() != null && context.rfm() != null) {
            // a buyer with no order in the window is past the scored base: the lapsed end of it, "Lost"
            labels.put(FeatureNames.RFM_GROUP, LAPSED_BUYER_GROUP);
        }
        if (context.engagedSendsLast5() != null) {
            features.put(FeatureNames.ENGAGED_SENDS_LAST_5, (double) context.engagedSendsLast5());
        }
        features.put(FeatureNames.ENGAGEMENT_DECAY_SLOPE_8W, slope(weekly));
        features.put(FeatureNames.ORDER_FREQUENCY_365D, orderFrequency(w365.orders, state.firstSeen(), now));
        if (w90.mobile + w90.desktop > 0) {
            features.put(FeatureNames.MOBILE_SHARE_90D, (double) w90.mobile / (w90.mobile + w90.desktop));
        }
        features.put(FeatureNames.PRODUCT_VIEWS_30D, (double) w30.productViews);
        AccountRollup account = context.account();
        if (account != null) {
            if (account.tier() != null) {
                features.put(FeatureNames.ACCOUNT_TIER, (double) account.tier());
            }
            features.put(FeatureNames.ACCOUNT_TARGET, flag(account.target()));
            features.put(FeatureNames.ACCOUNT_CONTACTS, (double) account.contacts());
            features.put(FeatureNames.ACCOUNT_ENGAGED_CONTACTS_30D, (double) account.engagedContacts30d());
            features.put(FeatureNames.ACCOUNT_INTENT_SIGNALS_30D, (double) account.intentSignals30d());
            features.put(FeatureNames.ACCOUNT_PRICING_INTENT_30D, (double) account.pricingIntent30d());
            features.put(FeatureNames.ACCOUNT_REVENUE_365D, account.revenue365d().doubleValue());
            new java.util.TreeMap<>(account.intentByTopic30d()).forEach((topic, count) ->
                    features.put(FeatureNames.ACCOUNT_INTENT_30D_PREFIX + topic, (double) count));
        }
        long categoryTotal = w90.categories.values().stream().mapToLong(Long::longValue).sum();
        if (categoryTotal > 0) {
            w90.categories.forEach((category, count) ->
                    features.put(FeatureNames.CATEGORY_SHARE_90D_PREFIX + category, (double) count / categoryTotal));
        }
        w90.hoursOfWeek.forEach((bin, count) ->
                features.put(FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX + bin, (double) count));

        features.put(FeatureNames.EMAILS_REPLIED_7D, (double) w7.replied);
        features.put(FeatureNames.EMAILS_REPLIED_90D, (double) w90.replied);
        features.put(FeatureNames.CLICK_TO_OPEN_7D, clickToOpen(w7));
        features.put(FeatureNames.CLICK_TO_OPEN_90D, clickToOpen(w90));

        labels.put(FeatureNames.LIFECYCLE_STAGE, lifecycleStage(state, w30, w90, w365, now));
        if (context.accountId() != null && !context.accountId().isBlank()) {
            labels.put(FeatureNames.ACCOUNT_ID, context.accountId());
        }
        String zone = validZone(context.timezone());
        if (zone != null) {
            labels.put(FeatureNames.TIMEZONE, zone);
        }
        return new Vector(features, labels);
    }

    /** Weeks of the decay slope: week 7 is the last 7 UTC days including today, week 0 the oldest. */
    public static final int DECAY_WEEKS = 8;

    /**
     * Least-squares slope of weekly engagement (human opens + clicks) against the week index 0..7:
     * sum((x - 3.5)(y - mean y)) / sum((x - 3.5)^2). Negative = engagement decaying.
     */
    static double slope(long[] weekly) {
        double meanX = (weekly.length - 1) / 2.0;
        double meanY = 0;
        for (long y : weekly) {
            meanY += y;
        }
        meanY /= weekly.length;
        double numerator = 0;
        double denominator = 0;
        for (int x = 0; x < weekly.length; x++) {
            numerator += (x - meanX) * (weekly[x] - meanY);
            denominator += (x - meanX) * (x - meanX);
        }
        return numerator / denominator;
    }

    /**
     * Orders per 30 days of the observed part of the last 365 days: the observed days are the
     * days since first seen plus one, at least 30 and at most 365 (365 when first seen is unknown).
     */
    /**
     * Clicks over opens, where every click implies its email was opened: a click whose open was a
     * machine open or not tracked (images off, privacy proxies) still counts one open. So the ratio
     * stays within [0, 1]; 0 when there was neither.
     */
    static double clickToOpen(Window window) {
        long opens = Math.max(window.opened, window.clicked);
        return opens == 0 ? 0.0 : (double) window.clicked / opens;
    }

    static double orderFrequency(long orders365, Instant firstSeen, Instant now) {
        long observed = firstSeen == null ? YEAR_WINDOW_DAYS
                : Math.max(ENGAGEMENT_WINDOW_DAYS, Math.min(YEAR_WINDOW_DAYS, daysBetween(firstSeen, now) + 1));
        return orders365 * (double) ENGAGEMENT_WINDOW_DAYS / observed;
    }

    /**
     * The lifecycle stage, first match: {@code new} (first seen less than 30 days ago),
     * {@code active} (an order in 90 days or a human open or click in 30 days), {@code at_risk}
     * (a human open, click or order in 90 days), {@code lapsed} (one in 365 days), else {@code dormant}.
     */
    static String lifecycleStage(SubscriberState state, Window w30, Window w90, Window w365, Instant now) {
        if (state.firstSeen() != null && daysBetween(state.firstSeen(), now) < ENGAGEMENT_WINDOW_DAYS) {
            return "new";
        }
        if (w90.orders > 0 || w30.opened + w30.clicked > 0) {
            return "active";
        }
        if (w90.orders + w90.opened + w90.clicked > 0) {
            return "at_risk";
        }
        if (w365.orders + w365.opened + w365.clicked > 0) {
            return "lapsed";
        }
        return "dormant";
    }

    public static final List<String> LIFECYCLE_STAGES = List.of("new", "active", "at_risk", "lapsed", "dormant");

    /** The zone id when it is a valid IANA region id or offset (as given), else null. */
    static String validZone(String zone) {
        if (zone == null || zone.isBlank() || zone.length() > 64) {
            return null;
        }
        try {
            return java.time.ZoneId.of(zone.trim()).getId();
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    static boolean inWindow(LocalDate day, LocalDate today, int windowDays) {
        return day.isAfter(today.minusDays(windowDays)) && !day.isAfter(today);
    }

    /** Whole days elapsed (floor); a moment dated after "now" (client clock skew) counts as today. */
    /**
     * UTC calendar days from the earlier instant's day to now's day: 0 on the same day, never negative.
     * The windows count days the same way, so one recompute per UTC day (the sweep's) keeps every
     * "days since" exact, and training sets can rebuild them from daily rows.
     */
    /** The RFM group of a customer whose orders all lie before the 365-day window. */
    static final String LAPSED_BUYER_GROUP = "Lost";

    static long daysBetween(Instant earlier, Instant now) {
        return Math.max(0, java.time.temporal.ChronoUnit.DAYS.between(LocalDate.ofInstant(earlier, ZoneOffset.UTC),
                LocalDate.ofInstant(now, ZoneOffset.UTC)));
    }

    private static double flag(boolean value) {
        return value ? 1.0 : 0.0;
    }

    /** Sums of one window. */
    static final class Window {
        long delivered;
        long opened;
        long clicked;
        long orders;
        BigDecimal revenue = BigDecimal.ZERO;
        long sent;
        long replied;
        long pageViews;
        long pricingPageViews;
        long productViews;
        long mobile;
        long desktop;
        final Map<String, Long> categories = new java.util.TreeMap<>();
        final Map<Integer, Long> hoursOfWeek = new java.util.TreeMap<>();

        void add(DailyActivity day) {
            productViews += day.productViews();
            mobile += day.mobileEvents();
            desktop += day.desktopEvents();
            day.categories().forEach((k, v) -> categories.merge(k, v, Long::sum));
            int weekdayOffset = (day.day().getDayOfWeek().getValue() - 1) * 24;
            day.engagementHours().forEach((hour, v) -> hoursOfWeek.merge(weekdayOffset + hour, v, Long::sum));
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
