package io.cohort.feature.domain;

import io.cohort.contracts.FeatureNames;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * RFM over the last 365 UTC days (the same window as {@code orders_365d}). Pure.
 *
 * <p><b>Metrics</b>: recency = whole days from the latest UTC day with an order in the window to
 * today (0 = ordered today); frequency = orders in the window; monetary = order revenue in the window.
 * A <em>customer</em> is a subscriber with at least one order in the window; only customers are scored.
 *
 * <p><b>Quintile scores</b> (1-5, 5 = best) are relative to the current customer base: for each metric,
 * sort the customers' values from worst to best (recency: most days first; frequency and monetary:
 * smallest first); the k-th boundary (k = 1..4) is the value at nearest rank {@code ceil(k * n / 5)}; a
 * customer's score is 1 + the number of boundaries their value is strictly better than. Equivalently,
 * score = 1 + min(4, floor(5 * (customers strictly worse) / n)). Ties therefore share a score, and a
 * metric where most customers tie (frequency 1) leaves the lower scores crowded: a tie never gets split
 * across scores. The boundaries are stored ({@code rfm_boundaries}) and recomputed once per UTC day
 * by the first sweep of the day, and whenever none are stored.
 *
 * <p><b>Groups</b> from R and FM = ceil((F + M) / 2), first match:
 * New: R = 5 and FM = 1; Champions: R >= 4 and FM >= 4; Loyal: R = 3 and FM >= 3;
 * Potential: R >= 3 (and FM <= 3); At Risk: R <= 2 and FM >= 3; Hibernating: R = 2; Lost: R = 1.
 */
public final class Rfm {

    public static final int WINDOW_DAYS = FeatureCalculator.YEAR_WINDOW_DAYS;

    private Rfm() {
    }

    /** A subscriber's RFM metrics; {@code recencyDays} is null when there was no order in the window. */
    public record Metrics(Long recencyDays, long frequency, BigDecimal monetary) {

        public boolean isCustomer() {
            return frequency > 0 && recencyDays != null;
        }
    }

    /**
     * The four boundaries of each metric in its own unit (recency in days, worst first, so they
     * descend), the number of customers they were computed from and the UTC day of the computation.
     */
    public record Boundaries(double[] recency, double[] frequency, double[] monetary, int customers,
            LocalDate computedOn) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Boundaries b && Arrays.equals(recency, b.recency)
                    && Arrays.equals(frequency, b.frequency) && Arrays.equals(monetary, b.monetary)
                    && customers == b.customers;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(recency) * 31 + Arrays.hashCode(frequency) * 7 + Arrays.hashCode(monetary);
        }

        @Override
        public String toString() {
            return "Boundaries[recency=" + Arrays.toString(recency) + ", frequency=" + Arrays.toString(frequency)
                    + ", monetary=" + Arrays.toString(monetary) + ", customers=" + customers + "]";
        }
    }

    /** The 1-5 scores and the group they map to. */
    public record Scores(int r, int f, int m, String group) {
    }

    /** The metrics from daily aggregates, as of {@code today} (days outside the window are ignored). */
    public static Metrics metrics(Collection<DailyActivity> days, LocalDate today) {
        LocalDate latest = null;
        long orders = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        for (DailyActivity day : days) {
            if (FeatureCalculator.inWindow(day.day(), today, WINDOW_DAYS) && day.orders() > 0) {
                orders += day.orders();
                revenue = revenue.add(day.revenue());
                if (latest == null || day.day().isAfter(latest)) {
                    latest = day.day();
                }
            }
        }
        return new Metrics(latest == null ? null : ChronoUnit.DAYS.between(latest, today), orders, revenue);
    }

    /** Boundaries of the customers among {@code metrics}; null when there is no customer. */
    public static Boundaries boundaries(Collection<Metrics> metrics, LocalDate computedOn) {
        List<Metrics> customers = metrics.stream().filter(Metrics::isCustomer).toList();
        int n = customers.size();
        if (n == 0) {
            return null;
        }
        // "better" is larger in this space: recency is negated
        double[] r = customers.stream().mapToDouble(c -> -c.recencyDays()).sorted().toArray();
        double[] f = customers.stream().mapToDouble(c -> (double) c.frequency()).sorted().toArray();
        double[] m = customers.stream().mapToDouble(c -> c.monetary().doubleValue()).sorted().toArray();
        double[] rc = cuts(r, n);
        for (int k = 0; k < rc.length; k++) {
            rc[k] = rc[k] == 0 ? 0 : -rc[k];
        }
        return new Boundaries(rc, cuts(f, n), cuts(m, n), n, computedOn);
    }

    private static double[] cuts(double[] ascending, int n) {
        double[] cuts = new double[4];
        for (int k = 1; k <= 4; k++) {
            int rank = (int) Math.ceil(k * (double) n / 5); // 1-based nearest rank
            cuts[k - 1] = ascending[Math.max(rank, 1) - 1];
        }
        return cuts;
    }

    /** The scores of a customer; empty for a non-customer or without boundaries. */
    public static Optional<Scores> score(Metrics metrics, Boundaries boundaries) {
        if (boundaries == null || !metrics.isCustomer()) {
            return Optional.empty();
        }
        int r = 1;
        int f = 1;
        int m = 1;
        double monetary = metrics.monetary().doubleValue();
        for (int k = 0; k < 4; k++) {
            if (metrics.recencyDays() < boundaries.recency()[k]) {
                r++;
            }
            if (metrics.frequency() > boundaries.frequency()[k]) {
                f++;
            }
            if (monetary > boundaries.monetary()[k]) {
                m++;
            }
        }
        return Optional.of(new Scores(r, f, m, group(r, f, m)));
    }

    /** The named group of R, F and M scores (see the class comment). */
    public static String group(int r, int f, int m) {
        int fm = (f + m + 1) / 2;
        String group;
        if (r == 5 && fm == 1) {
            group = "New";
        } else if (r >= 4 && fm >= 4) {
            group = "Champions";
        } else if (r == 3 && fm >= 3) {
            group = "Loyal";
        } else if (r >= 3) {
            group = "Potential";
        } else if (fm >= 3) {
            group = "At Risk";
        } else if (r == 2) {
            group = "Hibernating";
        } else {
            group = "Lost";
        }
        assert FeatureNames.RFM_GROUPS.contains(group);
        return group;
    }
}
