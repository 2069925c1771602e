package io.cohort.segment.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A predictive segment's test on one score of {@link io.cohort.contracts.ScoreNames}: either
 * {@code score >= threshold}, or the top {@code topPercent} of scored subscribers. The top-N% cutoff
 * is the score of the subscriber at that rank over every view holding the score; it is computed
 * when the segment is created or edited and again by every sweep, and live score changes are
 * compared with the cutoff in force.
 */
public record Predictive(String score, Double threshold, Double topPercent) {

    public Predictive {
        if ((threshold == null) == (topPercent == null)) {
            throw new IllegalArgumentException("exactly one of threshold and topPercent");
        }
        if (topPercent != null && !(topPercent > 0 && topPercent <= 100)) {
            throw new IllegalArgumentException("topPercent must be above 0 and at most 100");
        }
    }

    public boolean isTopPercent() {
        return topPercent != null;
    }

    /** The threshold in force: the fixed one, or the given top-N% cutoff (null when nobody is scored yet). */
    public Double effectiveThreshold(Double cutoff) {
        return threshold != null ? threshold : cutoff;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("score", score);
        if (threshold != null) {
            json.put("threshold", Condition.number(threshold));
        }
        if (topPercent != null) {
            json.put("topPercent", Condition.number(topPercent));
        }
        return json;
    }

    /**
     * The cutoff for the top {@code percent} of {@code sortedDescending} scores: the value of the
     * member at rank ceil(n × percent / 100); null for no scores. Ties at the cutoff are all in, so
     * the share can exceed the percentage when many subscribers share a score.
     */
    public static Double cutoff(double[] sortedDescending, double percent) {
        int n = sortedDescending.length;
        if (n == 0) {
            return null;
        }
        return sortedDescending[rank(n, percent) - 1];
    }

    /** The 1-based rank of the cutoff among {@code n} scores (n ≥ 1): ceil(n × percent / 100), within 1..n. */
    public static int rank(long n, double percent) {
        long rank = (long) Math.ceil(n * percent / 100.0);
        return (int) Math.max(1, Math.min(n, rank));
    }
}
