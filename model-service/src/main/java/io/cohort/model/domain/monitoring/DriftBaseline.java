package io.cohort.model.domain.monitoring;

import io.cohort.model.domain.SubscriberPredictor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What a version's inputs and outputs looked like when it was trained, to measure drift later:
 * per feature and per score, decile cut points of the training values and the share of rows in each
 * bin (plus a bin for absent values). Drift is the population stability index
 * PSI = Σ (cᵢ − bᵢ) · ln(cᵢ / bᵢ) between baseline shares b and current shares c (shares floored at
 * 1e-4); the usual reading is &lt; 0.1 stable, 0.1–0.25 moderate shift, &gt; 0.25 major shift.
 */
public record DriftBaseline(Map<String, Distribution> features, Map<String, Distribution> scores) {

    public static final double MODERATE = 0.1;
    public static final double MAJOR = 0.25;
    private static final double FLOOR = 1e-4;

    /**
     * @param edges increasing cut points; bin i holds values ≤ edges[i] (and > edges[i−1]), the last bin the rest
     * @param shares share of rows per bin, then the share of absent values last
     */
    public record Distribution(List<Double> edges, List<Double> shares) {
    }

    public static DriftBaseline fit(List<Map<String, Double>> rows, List<String> features,
            List<SubscriberPredictor> predictors) {
        Map<String, Distribution> featureBaselines = new LinkedHashMap<>();
        for (String feature : features) {
            featureBaselines.put(feature, distribution(values(rows, row -> value(row, feature))));
        }
        Map<String, Distribution> scoreBaselines = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> entry : scores(rows, predictors).entrySet()) {
            scoreBaselines.put(entry.getKey(), distribution(entry.getValue()));
        }
        return new DriftBaseline(featureBaselines, scoreBaselines);
    }

    /** Score values per score name over the rows (NaN where a row has no such score). */
    public static Map<String, double[]> scores(List<Map<String, Double>> rows, List<SubscriberPredictor> predictors) {
        Map<String, double[]> result = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            for (SubscriberPredictor predictor : predictors) {
                for (Map.Entry<String, Double> score : predictor.predict(rows.get(i)).scores().entrySet()) {
                    double[] column = result.computeIfAbsent(score.getKey(), k -> {
                        double[] fresh = new double[rows.size()];
                        Arrays.fill(fresh, Double.NaN);
                        return fresh;
                    });
                    column[i] = score.getValue();
                }
            }
        }
        return result;
    }

    static double value(Map<String, Double> row, String feature) {
        Double v = row.get(feature);
        return v == null || !Double.isFinite(v) ? Double.NaN : v;
    }

    public static double[] values(List<Map<String, Double>> rows, ToDoubleFunction<Map<String, Double>> f) {
        return rows.stream().mapToDouble(f).toArray();
    }

    public static Distribution distribution(double[] values) {
        double[] present = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        List<Double> edges = new ArrayList<>();
        for (int d = 1; d < 10 && present.length > 0; d++) {
            double edge = present[Math.min(present.length - 1, (int) Math.floor(present.length * d / 10.0))];
            if (edges.isEmpty() || edge > edges.get(edges.size() - 1)) {
                edges.add(edge);
            }
        }
        return new Distribution(edges, shares(edges, values));
    }

    static List<Double> shares(List<Double> edges, double[] values) {
        double[] counts = new double[edges.size() + 2];
        for (double v : values) {
            counts[bin(edges, v)]++;
        }
        List<Double> shares = new ArrayList<>();
        for (double c : counts) {
            shares.add(values.length == 0 ? 0 : c / values.length);
        }
        return shares;
    }

    private static int bin(List<Double> edges, double v) {
        if (!Double.isFinite(v)) {
            return edges.size() + 1;
        }
        for (int i = 0; i < edges.size(); i++) {
            if (v <= edges.get(i)) {
                return i;
            }
        }
        return edges.size();
    }

    public static double psi(Distribution baseline, double[] current) {
        List<Double> now = shares(baseline.edges(), current);
        double psi = 0;
        for (int i = 0; i < now.size(); i++) {
            double b = Math.max(FLOOR, baseline.shares().get(i));
            double c = Math.max(FLOOR, now.get(i));
            psi += (c - b) * Math.log(c / b);
        }
        return psi;
    }

    public static String status(double psi) {
        return psi >= MAJOR ? "major" : psi >= MODERATE ? "moderate" : "stable";
    }
}
