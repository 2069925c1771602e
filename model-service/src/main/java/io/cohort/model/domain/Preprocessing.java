package io.cohort.model.domain;

import io.cohort.contracts.FeatureNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a subscriber's feature map into the numeric row the clustering model sees, and remembers
 * exactly how, so scoring later applies the same steps the model was trained with.
 *
 * <ol>
 *   <li>Impute absent features. {@code days_since_last_open} is absent when a subscriber never
 *       opened; we treat "never opened" like "opened a year ago" ({@value #NEVER_OPENED_DAYS} days),
 *       which puts such subscribers at the dormant end of the axis without inventing an extreme
 *       outlier that would dominate the standardisation. Absent counts and revenue mean "none": 0.</li>
 *   <li>{@code log1p} every count and revenue feature: they are heavily right-skewed (a few
 *       subscribers open or spend far more than the rest), and K-Means on raw values would spend its
 *       clusters on those few. Negative values (refunds) are clamped to 0 first.</li>
 *   <li>Z-score standardise with the training means and (population) standard deviations, so every
 *       feature weighs the same in the Euclidean distance. A constant feature (std 0) is divided by
 *       1 instead, which maps it to 0 everywhere.</li>
 * </ol>
 *
 * @param features the column order of every row (FeatureNames.BEHAVIOURAL_CLUSTERING at training time)
 * @param imputation the value used for each feature when it is absent, in original units
 * @param log1p the features that are log1p-transformed before standardising
 * @param means per feature mean after imputation and log1p
 * @param stds per feature standard deviation after imputation and log1p (never 0)
 */
public record Preprocessing(
        List<String> features,
        Map<String, Double> imputation,
        List<String> log1p,
        Map<String, Double> means,
        Map<String, Double> stds) {

    /** "Never opened" is treated like "last opened a year ago". */
    public static final double NEVER_OPENED_DAYS = 365.0;

    public Preprocessing {
        features = List.copyOf(features);
        imputation = Map.copyOf(imputation);
        log1p = List.copyOf(log1p);
        means = Map.copyOf(means);
        stds = Map.copyOf(stds);
    }

    /** Learns means and standard deviations from the training rows, over {@link FeatureNames#BEHAVIOURAL_CLUSTERING}. */
    public static Preprocessing fit(List<Map<String, Double>> rows) {
        return fit(FeatureNames.BEHAVIOURAL_CLUSTERING, rows);
    }

    static Preprocessing fit(List<String> features, List<Map<String, Double>> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("cannot fit preprocessing on no rows");
        }
        Map<String, Double> imputation = new LinkedHashMap<>();
        for (String feature : features) {
            imputation.put(feature, FeatureNames.DAYS_SINCE_LAST_OPEN.equals(feature) ? NEVER_OPENED_DAYS : 0.0);
        }
        List<String> logged = features.stream().filter(f -> !FeatureNames.DAYS_SINCE_LAST_OPEN.equals(f)).toList();
        Preprocessing unscaled = new Preprocessing(features, imputation, logged, Map.of(), Map.of());

        int width = features.size();
        double[] sum = new double[width];
        double[] sumSquares = new double[width];
        for (Map<String, Double> row : rows) {
            double[] values = unscaled.unscaled(row);
            for (int i = 0; i < width; i++) {
                sum[i] += values[i];
                sumSquares[i] += values[i] * values[i];
            }
        }
        Map<String, Double> means = new LinkedHashMap<>();
        Map<String, Double> stds = new LinkedHashMap<>();
        int n = rows.size();
        for (int i = 0; i < width; i++) {
            double mean = sum[i] / n;
            double variance = Math.max(0.0, sumSquares[i] / n - mean * mean);
            double std = Math.sqrt(variance);
            means.put(features.get(i), mean);
            stds.put(features.get(i), std > 1e-12 ? std : 1.0);
        }
        return new Preprocessing(features, imputation, logged, means, stds);
    }

    /** The row in original units, absent features imputed: what a cluster centroid is reported in. */
    public double[] raw(Map<String, Double> row) {
        double[] values = new double[features.size()];
        for (int i = 0; i < values.length; i++) {
            String feature = features.get(i);
            Double value = row == null ? null : row.get(feature);
            values[i] = value == null || !Double.isFinite(value) ? imputation.getOrDefault(feature, 0.0) : value;
        }
        return values;
    }

    /** The row the model sees: imputed, log1p where configured, standardised. */
    public double[] transform(Map<String, Double> row) {
        double[] values = unscaled(row);
        for (int i = 0; i < values.length; i++) {
            String feature = features.get(i);
            values[i] = (values[i] - means.get(feature)) / stds.get(feature);
        }
        return values;
    }

    private double[] unscaled(Map<String, Double> row) {
        double[] values = raw(row);
        for (int i = 0; i < values.length; i++) {
            if (log1p.contains(features.get(i))) {
                values[i] = Math.log1p(Math.max(0.0, values[i]));
            }
        }
        return values;
    }
}
