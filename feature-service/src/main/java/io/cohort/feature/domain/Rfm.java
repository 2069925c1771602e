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
 * smallest first) and cut the order at the positions k * n / 5 (k = 1..4). The k-th boundary is the
 * value at nearest rank {@code ceil(k * n / 5)}, and its <em>share</em> is the part of the customers
 * tied at that value who lie at or below the cut: (k * n / 5 - customers strictly worse) / customers
 * at the value, in (0, 1]. A customer's score is 1 + the number of boundaries they are above: their
 * value is strictly better, or equal and their <em>tie position</em> (a fixed number in [0, 1) from a
 * hash of the subscriber id, {@link #tiePosition}) is at least the share. So a value many customers
 * share is split across the quintiles it spans in proportion (35 % of buyers with one order: 20/35 of
 * them F = 1, 15/35 F = 2) instead of all taking the lower score, and a customer keeps the same side
 * of a tie from one computation to the next. Without a tie position (0) ties take the lower score.
 *
 * <p><b>When</b>: the boundaries are stored ({@code rfm_boundaries}) and recomputed by the sweep when
 * none are stored, when they are older than {@code cohort.feature.rfm.recompute-every} (1 h), or when the
 * number of customers moved by {@code cohort.feature.rfm.population-change} (10 %) or more since, e.g.
 * after a bulk import (see {@link #recomputeDue}).
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
     * descend), each boundary's share of its tied customers at or below the cut (see the class
     * comment; 1 = all of them, as before shares were kept), the number of customers they were
     * computed from and the UTC day of the computation.
     */
    public record Boundaries(double[] recency, double[] frequency, double[] monetary, double[] recencyShare,
            double[] frequencyShare, double[] monetaryShare, int customers, LocalDate computedOn) {

        private static final double[] WHOLE = {1, 1, 1, 1};

        /** Boundaries whose ties all lie at or below each cut (no split). */
        public Boundaries(double[] recency, double[] frequency, double[] monetary, int customers,
                LocalDate computedOn) {
            this(recency, frequency, monetary, WHOLE, WHOLE, WHOLE, customers, computedOn);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Boundaries b && Arrays.equals(recency, b.recency)
                    && Arrays.equals(frequency, b.frequency) && Arrays.equals(monetary, b.monetary)
                    && close(recencyShare, b.recencyShare) && close(frequencyShare, b.frequencyShare)
                    && close(monetaryShare, b.monetaryShare) && customers == b.customers;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(recency) * 31 + Arrays.hashCode(frequency) * 7 + Arrays.hashCode(monetary);
        }

        @Override
        public String toString() {
            return "Boundaries[recency=" + Arrays.toString(recency) + ", frequency=" + Arrays.toString(frequency)
                    + ", monetary=" + Arrays.toString(monetary) + ", shares=" + Arrays.toString(recencyShare)
                    + Arrays.toString(frequencyShare) + Arrays.toString(monetaryShare) + ", customers=" + customers + "]";
        }

        // shares are ratios computed in SQL or in Java: equal up to rounding
        private static boolean close(double[] a, double[] b) {
            if (a.length != b.length) {
                return false;
            }
            for (int i = 0; i < a.length; i++) {
                if (Math.abs(a[i] - b[i]) > 1e-9) {
                    return false;
                }
            }
            return true;
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
        double[] rs = shares(r, rc, n);
        for (int k = 0; k < rc.length; k++) {
            rc[k] = rc[k] == 0 ? 0 : -rc[k];
        }
        double[] fc = cuts(f, n);
        double[] mc = cuts(m, n);
        return new Boundaries(rc, fc, mc, rs, shares(f, fc, n), shares(m, mc, n), n, computedOn);
    }

    private static double[] cuts(double[] ascending, int n) {
        double[] cuts = new double[4];
        for (int k = 1; k <= 4; k++) {
            int rank = (int) Math.ceil(k * (double) n / 5); // 1-based nearest rank
            cuts[k - 1] = ascending[Math.max(rank, 1) - 1];
        }
        return cuts;
    }

    private static double[] shares(double[] ascending, double[] cuts, int n) {
        double[] shares = new double[4];
        for (int k = 1; k <= 4; k++) {
            double cut = cuts[k - 1];
            long worse = Arrays.stream(ascending).filter(v -> v < cut).count();
            long tied = Arrays.stream(ascending).filter(v -> v == cut).count();
            shares[k - 1] = share(k, n, worse, tied);
        }
        return shares;
    }

    /**
     * The share of the {@code tied} customers at the k-th boundary's value that lie at or below the cut
     * k * n / 5, with {@code worse} customers strictly worse than the value; in (0, 1].
     */
    public static double share(int k, long n, long worse, long tied) {
        if (tied <= 0) {
            return 1;
        }
        double share = (k * (double) n / 5 - worse) / tied;
        return Math.min(1, Math.max(Double.MIN_VALUE, share));
    }

    /**
     * Where a subscriber stands among customers with the same value, in [0, 1): a fixed hash of the id,
     * so a tie is split the same way every time (see the class comment).
     */
    public static double tiePosition(String subscriberId) {
        long h = subscriberId.hashCode() * 0x9E3779B97F4A7C15L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }

    /**
     * Whether stored boundaries are due for a recompute: none stored, older than {@code every}, or the
     * number of customers moved by {@code populationChange} (a fraction) or more since they were computed.
     */
    public static boolean recomputeDue(Boundaries stored, java.time.Instant storedAt, long customersNow,
            java.time.Instant now, java.time.Duration every, double populationChange) {
        if (stored == null || storedAt == null || !storedAt.plus(every).isAfter(now)) {
            return true;
        }
        long before = stored.customers();
        return Math.abs(customersNow - before) >= populationChange * Math.max(before, 1);
    }

    /**
     * Whether every customer is rescored against {@code fresh} boundaries (their vectors marked stale for
     * the sweep): none were stored, a new day began, a boundary value moved, or the customer count moved
     * by {@code populationChange} or more. A recompute that only shifted tie shares within the day is
     * used by vectors computed from now on, without rescoring everyone each hour.
     */
    public static boolean rescoreAll(Boundaries stored, Boundaries fresh, double populationChange) {
        if (stored == null || fresh.computedOn().isAfter(stored.computedOn())) {
            return true;
        }
        long before = stored.customers();
        return !Arrays.equals(stored.recency(), fresh.recency()) || !Arrays.equals(stored.frequency(), fresh.frequency())
                || !Arrays.equals(stored.monetary(), fresh.monetary())
                || Math.abs(fresh.customers() - before) >= populationChange * Math.max(before, 1);
    }

    /** The scores of a customer with tie position 0 (ties take the lower score); see {@link #score(Metrics, Boundaries, double)}. */
    public static Optional<Scores> score(Metrics metrics, Boundaries boundaries) {
        return score(metrics, boundaries, 0);
    }

    /**
     * The scores of a customer at {@code tiePosition} ({@link #tiePosition}); empty for a non-customer or
     * without boundaries.
     */
    public static Optional<Scores> score(Metrics metrics, Boundaries boundaries, double tiePosition) {
        if (boundaries == null || !metrics.isCustomer()) {
            return Optional.empty();
        }
        int r = 1;
        int f = 1;
        int m = 1;
        double recency = metrics.recencyDays();
        double frequency = metrics.frequency();
        double monetary = metrics.monetary().doubleValue();
        for (int k = 0; k < 4; k++) {
            // recency: fewer days is better
            if (above(-recency, -boundaries.recency()[k], boundaries.recencyShare()[k], tiePosition)) {
                r++;
            }
            if (above(frequency, boundaries.frequency()[k], boundaries.frequencyShare()[k], tiePosition)) {
                f++;
            }
            if (above(monetary, boundaries.monetary()[k], boundaries.monetaryShare()[k], tiePosition)) {
                m++;
            }
        }
        return Optional.of(new Scores(r, f, m, group(r, f, m)));
    }

    private static boolean above(double value, double boundary, double share, double tiePosition) {
        return value > boundary || value == boundary && tiePosition >= share;
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
