package io.cohort.feature.domain;

import io.cohort.contracts.FeatureNames;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Point-in-time features and labels for training sets. Pure.
 *
 * <p>The daily aggregates have day granularity, so {@code asOf} is cut down to the start of its UTC
 * day (the <em>cutoff</em>): the features are the vector as it was at the last instant before the
 * cutoff, computed only from days before the cutoff day, and the label only from the
 * {@code horizonDays} days starting on the cutoff day, i.e. from (cutoff, cutoff + horizon]. The
 * "days since last open/click/order" features count UTC calendar days, so they are rebuilt exactly
 * from the latest daily row with an open, a click or an order before the cutoff day, however old (absent
 * once that row has been rolled up into months, after {@code cohort.feature.rollup.keep-days}).
 * The RFM scores use boundaries computed from the daily rows as of the day before the cutoff day.
 * Features whose history is not kept per day are left out rather than leaked from the present
 * ({@link #NOT_POINT_IN_TIME}). The suppression flags are exact, because they remember the earliest
 * event that set them, and email consent is the latest change before the cutoff (its history is kept).
 */
public final class PointInTime {

    /** Left out of training rows: their current value may reflect events after the cutoff. */
    public static final List<String> NOT_POINT_IN_TIME = List.of(
            FeatureNames.ENGAGED_SENDS_LAST_5, FeatureNames.ACCOUNT_TIER, FeatureNames.ACCOUNT_TARGET,
            FeatureNames.ACCOUNT_CONTACTS, FeatureNames.ACCOUNT_ENGAGED_CONTACTS_30D,
            FeatureNames.ACCOUNT_INTENT_SIGNALS_30D, FeatureNames.ACCOUNT_PRICING_INTENT_30D,
            FeatureNames.ACCOUNT_REVENUE_365D);

    private static final FeatureCalculator CALCULATOR = new FeatureCalculator();

    private PointInTime() {
    }

    /** What a training row's label says about the horizon. */
    public enum Label {
        /** at least one 'Email Link Clicked' */
        CLICKED,
        /** at least one 'Order Completed' */
        ORDERED,
        /** at least one 'Unsubscribed' */
        UNSUBSCRIBED,
        /** neither an order nor a human open */
        CHURNED;

        public static Optional<Label> parse(String value) {
            if (value == null) {
                return Optional.empty();
            }
            for (Label label : values()) {
                if (label.name().equalsIgnoreCase(value.trim())) {
                    return Optional.of(label);
                }
            }
            return Optional.empty();
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The start of {@code asOf}'s UTC day. */
    public static Instant cutoff(Instant asOf) {
        return asOf.truncatedTo(ChronoUnit.DAYS);
    }

    /**
     * @param days         any of the subscriber's daily aggregates (days on or after the cutoff day are ignored)
     * @param firstSeen    the subscriber's first event time (before the cutoff, or they would have no row)
     * @param unsubscribed the earliest 'Unsubscribed' event time, or null (likewise complained, hardBounced)
     */
    public static Map<String, Double> features(Collection<DailyActivity> days, Instant firstSeen,
            Instant unsubscribed, Instant complained, Instant hardBounced, Instant cutoff) {
        return features(days, new Facts(firstSeen, unsubscribed, complained, hardBounced, null, LastDays.NONE), null,
                cutoff);
    }

    /**
     * What a training row needs besides the daily rows.
     *
     * @param firstSeen    the subscriber's first event time (before the cutoff, or they would have no row)
     * @param unsubscribed the earliest 'Unsubscribed' event time, or null (likewise complained, hardBounced)
     * @param emailConsent email consent at the cutoff (null: unknown, and then email_consent and suppressed
     *                     are left out)
     * @param lastDays     days since reach back through these (see {@link LastDays})
     */
    public record Facts(Instant firstSeen, Instant unsubscribed, Instant complained, Instant hardBounced,
            Boolean emailConsent, LastDays lastDays) {
    }

    /**
     * The latest days with a human open, a click and an order found in daily rows older than the ones
     * passed as {@code days} (each null: none), so "days since" reach back further than the windows.
     */
    public record LastDays(LocalDate open, LocalDate click, LocalDate order) {
        public static final LastDays NONE = new LastDays(null, null, null);
    }

    /**
     * As above from {@link Facts}; {@code rfm} are the quintile boundaries of the customers as of the
     * day before the cutoff day (null: no RFM scores). Days on or after the cutoff day never count.
     */
    public static Map<String, Double> features(Collection<DailyActivity> days, Facts facts, Rfm.Boundaries rfm,
            Instant cutoff) {
        return features(days, facts, rfm, 0, OrderTotals.NONE, cutoff);
    }

    /**
     * As above, with the subscriber's RFM tie position ({@link Rfm#tiePosition}), as live vectors use it,
     * and the orders before the given days (for the lifetime totals; {@code days} must then hold every
     * day after those, up to the cutoff).
     */
    public static Map<String, Double> features(Collection<DailyActivity> days, Facts facts, Rfm.Boundaries rfm,
            double rfmTiePosition, OrderTotals ordersBefore, Instant cutoff) {
        LastDays earlier = facts.lastDays();
        LocalDate cutoffDay = LocalDate.ofInstant(cutoff, ZoneOffset.UTC);
        List<DailyActivity> before = days.stream().filter(d -> d.day().isBefore(cutoffDay)).toList();
        SubscriberState state = new SubscriberState(facts.firstSeen(),
                startOf(latest(latestDay(before, DailyActivity::opened), earlier.open(), cutoffDay)),
                startOf(latest(latestDay(before, DailyActivity::clicked), earlier.click(), cutoffDay)),
                startOf(latest(latestDay(before, DailyActivity::orders), earlier.order(), cutoffDay)),
                before(facts.unsubscribed(), cutoff), before(facts.complained(), cutoff),
                before(facts.hardBounced(), cutoff), facts.emailConsent() == null || facts.emailConsent());
        Map<String, Double> features = CALCULATOR.compute(before, state,
                new FeatureCalculator.Context(rfm, null, null, null, null, rfmTiePosition, ordersBefore),
                cutoff.minusMillis(1))
                .features();
        NOT_POINT_IN_TIME.forEach(features::remove);
        if (facts.emailConsent() == null) {
            features.remove(FeatureNames.EMAIL_CONSENT);
            features.remove(FeatureNames.SUPPRESSED);
        }
        features.keySet().removeIf(name -> name.startsWith(FeatureNames.ACCOUNT_INTENT_30D_PREFIX));
        return features;
    }

    /** The label over the {@code horizonDays} UTC days starting on the cutoff day. */
    public static boolean label(Label label, Collection<DailyActivity> days, Instant cutoff, int horizonDays) {
        LocalDate first = LocalDate.ofInstant(cutoff, ZoneOffset.UTC);
        LocalDate end = first.plusDays(horizonDays);
        long clicked = 0;
        long orders = 0;
        long unsubscribes = 0;
        long opened = 0;
        for (DailyActivity day : days) {
            if (!day.day().isBefore(first) && day.day().isBefore(end)) {
                clicked += day.clicked();
                orders += day.orders();
                unsubscribes += day.unsubscribes();
                opened += day.opened();
            }
        }
        return switch (label) {
            case CLICKED -> clicked > 0;
            case ORDERED -> orders > 0;
            case UNSUBSCRIBED -> unsubscribes > 0;
            case CHURNED -> orders == 0 && opened == 0;
        };
    }

    /** The latest day whose count is positive, or null. */
    private static LocalDate latestDay(List<DailyActivity> days, java.util.function.ToLongFunction<DailyActivity> count) {
        return days.stream().filter(d -> count.applyAsLong(d) > 0).map(DailyActivity::day)
                .max(java.util.Comparator.naturalOrder()).orElse(null);
    }

    /** The later of two days, ignoring the second when it is not before the cutoff day. */
    private static LocalDate latest(LocalDate inWindow, LocalDate earlier, LocalDate cutoffDay) {
        LocalDate usable = earlier != null && earlier.isBefore(cutoffDay) ? earlier : null;
        return inWindow == null ? usable : usable == null || inWindow.isAfter(usable) ? inWindow : usable;
    }

    /** The start of the day: enough for calendar-day features. */
    private static Instant startOf(LocalDate day) {
        return day == null ? null : day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static boolean before(Instant moment, Instant cutoff) {
        return moment != null && moment.isBefore(cutoff);
    }
}
