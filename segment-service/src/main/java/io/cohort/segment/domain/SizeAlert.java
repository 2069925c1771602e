package io.cohort.segment.domain;

/**
 * When a segment's size change within a day deserves attention: the relative change against the
 * previous day's size exceeds {@code share} (0.5 = 50%) and the absolute change is at least
 * {@code minimumChange}, so tiny segments do not alert on every member. From 0 any growth of at
 * least {@code minimumChange} alerts.
 */
public final class SizeAlert {

    private SizeAlert() {
    }

    public static boolean exceeds(long previous, long current, double share, long minimumChange) {
        long change = Math.abs(current - previous);
        if (change < minimumChange || change == 0) {
            return false;
        }
        return previous == 0 || (double) change / previous > share;
    }
}
