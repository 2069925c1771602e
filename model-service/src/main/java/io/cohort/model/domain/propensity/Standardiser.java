package io.cohort.model.domain.propensity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a feature map into the model's standardised inputs: absent values imputed (365 for
 * {@code days_since_*}, "never" treated like a year ago; 0 otherwise), {@code log1p} on
 * non-negative right-skewed columns (sample skewness above 1), then z-scores (population std; a
 * constant column is divided by 1). Fitted on the training rows only and stored with the version.
 */
public record Standardiser(List<String> features, List<Double> imputation, List<Boolean> log1p, List<Double> means,
        List<Double> stds) {

    public static double defaultImputation(String feature) {
        return feature.startsWith("days_since_") ? 365 : 0;
    }

    public static Standardiser fit(List<Map<String, Double>> rows, List<String> features) {
        List<Double> imputation = new ArrayList<>();
        List<Boolean> log1p = new ArrayList<>();
        List<Double> means = new ArrayList<>();
        List<Double> stds = new ArrayList<>();
        int n = rows.size();
        for (String feature : features) {
            double fill = defaultImputation(feature);
            double[] x = new double[n];
            double min = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                Double v = rows.get(i).get(feature);
                x[i] = v == null || !Double.isFinite(v) ? fill : v;
                min = Math.min(min, x[i]);
            }
            boolean log = min >= 0 && skewness(x) > 1;
            if (log) {
                for (int i = 0; i < n; i++) {
                    x[i] = Math.log1p(x[i]);
                }
            }
            double mean = 0;
            for (double v : x) {
                mean += v;
            }
            mean /= Math.max(1, n);
            double var = 0;
            for (double v : x) {
                var += (v - mean) * (v - mean);
            }
            double std = Math.sqrt(var / Math.max(1, n));
            imputation.add(fill);
            log1p.add(log);
            means.add(mean);
            stds.add(std > 1e-12 ? std : 1.0);
        }
        return new Standardiser(List.copyOf(features), imputation, log1p, means, stds);
    }

    static double skewness(double[] x) {
        int n = x.length;
        if (n < 3) {
            return 0;
        }
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= n;
        double m2 = 0;
        double m3 = 0;
        for (double v : x) {
            double d = v - mean;
            m2 += d * d;
            m3 += d * d * d;
        }
        m2 /= n;
        m3 /= n;
        return m2 <= 1e-24 ? 0 : m3 / Math.pow(m2, 1.5);
    }

    public double[] transform(Map<String, Double> row) {
        double[] z = new double[features.size()];
        for (int j = 0; j < z.length; j++) {
            Double v = row.get(features.get(j));
            double x = v == null || !Double.isFinite(v) ? imputation.get(j) : v;
            if (log1p.get(j)) {
                x = Math.log1p(Math.max(0, x));
            }
            z[j] = (x - means.get(j)) / stds.get(j);
        }
        return z;
    }
}
