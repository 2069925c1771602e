package io.cohort.model.domain;

import io.cohort.contracts.FeatureNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Generated subscribers from five planted behaviours, for recovery (ARI) and stability tests. */
final class PlantedClusters {

    static final int GROUPS = 5;

    /** delivered, opened, clicked, days since last open (NaN = never), orders 90d, revenue 90d. */
    private static final double[][] CENTRES = {
            {30, 24, 10, 1, 3, 400},     // engaged buyers
            {30, 20, 0.3, 3, 0, 0},      // readers
            {30, 0, 0, Double.NaN, 0, 0}, // never opened
            {8, 2, 1, 40, 1, 60},        // light, lapsing
            {30, 10, 4, 10, 9, 2500},    // big spenders
    };

    record Sample(List<Map<String, Double>> rows, int[] groups) {
    }

    /**
     * {@code perGroup} members of each behaviour; {@code shift} scales every centre (1 = as planted,
     * 1.15 = a population that drifted 15%); members vary ±15% multiplicatively around their centre.
     */
    static Sample sample(int perGroup, double shift, long seed) {
        Random random = new Random(seed);
        List<Map<String, Double>> rows = new ArrayList<>();
        int[] groups = new int[perGroup * GROUPS];
        int i = 0;
        for (int g = 0; g < GROUPS; g++) {
            for (int m = 0; m < perGroup; m++) {
                double[] c = CENTRES[g];
                Map<String, Double> row = new HashMap<>();
                row.put(FeatureNames.EMAILS_DELIVERED_30D, (double) Math.round(jitter(c[0] * shift, random)));
                row.put(FeatureNames.EMAILS_OPENED_30D, (double) Math.round(jitter(c[1] * shift, random)));
                row.put(FeatureNames.EMAILS_CLICKED_30D, (double) Math.round(jitter(c[2] * shift, random)));
                if (!Double.isNaN(c[3])) {
                    row.put(FeatureNames.DAYS_SINCE_LAST_OPEN, (double) Math.round(jitter(c[3] * shift, random)));
                }
                row.put(FeatureNames.ORDERS_90D, (double) Math.round(jitter(c[4] * shift, random)));
                row.put(FeatureNames.REVENUE_90D, jitter(c[5] * shift, random));
                rows.add(row);
                groups[i++] = g;
            }
        }
        return new Sample(rows, groups);
    }

    private static double jitter(double value, Random random) {
        return value * (0.85 + 0.3 * random.nextDouble());
    }

    /** The public cluster id the outcome gives each row. */
    static int[] publicIds(TrainingOutcome outcome, Sample sample) {
        ClusterScorer scorer = outcome.scorer();
        return sample.rows().stream().mapToInt(row -> scorer.assign(row).clusterId()).toArray();
    }

    /** The public id most members of each planted group get. */
    static Map<Integer, Integer> idByGroup(TrainingOutcome outcome, Sample sample) {
        int[] ids = publicIds(outcome, sample);
        Map<Integer, Map<Integer, Integer>> votes = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            votes.computeIfAbsent(sample.groups()[i], g -> new HashMap<>()).merge(ids[i], 1, Integer::sum);
        }
        Map<Integer, Integer> result = new HashMap<>();
        votes.forEach((group, count) -> result.put(group,
                count.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey()));
        return result;
    }

    /** Hubert &amp; Arabie's adjusted Rand index of two labellings. */
    static double adjustedRandIndex(int[] a, int[] b) {
        Map<Long, Integer> pairs = new HashMap<>();
        Map<Integer, Integer> rowsA = new HashMap<>();
        Map<Integer, Integer> rowsB = new HashMap<>();
        for (int i = 0; i < a.length; i++) {
            pairs.merge(((long) a[i] << 32) | (b[i] & 0xffffffffL), 1, Integer::sum);
            rowsA.merge(a[i], 1, Integer::sum);
            rowsB.merge(b[i], 1, Integer::sum);
        }
        double index = pairs.values().stream().mapToDouble(PlantedClusters::choose2).sum();
        double sumA = rowsA.values().stream().mapToDouble(PlantedClusters::choose2).sum();
        double sumB = rowsB.values().stream().mapToDouble(PlantedClusters::choose2).sum();
        double expected = sumA * sumB / choose2(a.length);
        double max = (sumA + sumB) / 2;
        return (index - expected) / (max - expected);
    }

    private static double choose2(int n) {
        return n * (n - 1) / 2.0;
    }
}
