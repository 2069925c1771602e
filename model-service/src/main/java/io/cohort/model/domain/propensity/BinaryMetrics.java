package io.cohort.model.domain.propensity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Holdout metrics of a probability model for a 0/1 outcome.
 *
 * @param rows holdout rows
 * @param positives holdout rows with outcome 1
 * @param baseRate positives / rows
 * @param auc area under the ROC curve (Mann–Whitney, ties count one half)
 * @param aucStandardError Hanley &amp; McNeil (1982) standard error of the AUC
 * @param logLoss mean negative log-likelihood (probabilities clipped to [1e-15, 1 − 1e-15])
 * @param brier mean squared error of the probability
 * @param ece expected calibration error over {@link #CALIBRATION_BINS} equal-width bins
 * @param deciles lift and cumulative gains by decile of predicted probability (decile 1 = highest)
 * @param calibration per bin: mean predicted, observed rate, rows
 */
public record BinaryMetrics(int rows, int positives, double baseRate, double auc, double aucStandardError,
        double logLoss, double brier, double ece, List<Decile> deciles, List<CalibrationBin> calibration) {

    public static final int CALIBRATION_BINS = 10;

    /**
     * @param decile 1..10, 1 = the tenth with the highest predictions
     * @param rows rows in the decile
     * @param rate observed outcome rate in the decile
     * @param lift rate / base rate
     * @param cumulativeGain share of all positives captured by deciles 1..decile
     */
    public record Decile(int decile, int rows, double rate, double lift, double cumulativeGain) {
    }

    public record CalibrationBin(double lower, double upper, int rows, double meanPredicted, double observedRate) {
    }

    public static BinaryMetrics of(double[] p, int[] y) {
        int n = p.length;
        if (n == 0 || y.length != n) {
            throw new IllegalArgumentException("need as many outcomes as predictions, and at least one");
        }
        int positives = 0;
        double logLoss = 0;
        double brier = 0;
        for (int i = 0; i < n; i++) {
            positives += y[i];
            double q = Math.min(1 - 1e-15, Math.max(1e-15, p[i]));
            logLoss -= y[i] == 1 ? Math.log(q) : Math.log(1 - q);
            brier += (p[i] - y[i]) * (p[i] - y[i]);
        }
        double baseRate = (double) positives / n;
        double auc = auc(p, y, positives);
        return new BinaryMetrics(n, positives, baseRate, auc, hanleyMcNeil(auc, positives, n - positives),
                logLoss / n, brier / n, ece(p, y), deciles(p, y, positives, baseRate), calibration(p, y));
    }

    /** AUC by ranks: (sum of positive ranks − n1(n1+1)/2) / (n1 n0), average ranks for ties. */
    static double auc(double[] p, int[] y, int positives) {
        int n = p.length;
        int negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        double rankSum = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && p[order[j + 1]] == p[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (y[order[k]] == 1) {
                    rankSum += rank;
                }
            }
            i = j + 1;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    static double hanleyMcNeil(double auc, int positives, int negatives) {
        double q1 = auc / (2 - auc);
        double q2 = 2 * auc * auc / (1 + auc);
        double variance = (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc)
                + (negatives - 1) * (q2 - auc * auc)) / ((double) positives * negatives);
        return Math.sqrt(Math.max(0, variance));
    }

    private static int bin(double p) {
        return Math.min(CALIBRATION_BINS - 1, Math.max(0, (int) Math.floor(p * CALIBRATION_BINS)));
    }

    static double ece(double[] p, int[] y) {
        double[] sumP = new double[CALIBRATION_BINS];
        double[] sumY = new double[CALIBRATION_BINS];
        int[] count = new int[CALIBRATION_BINS];
        for (int i = 0; i < p.length; i++) {
            int b = bin(p[i]);
            sumP[b] += p[i];
            sumY[b] += y[i];
            count[b]++;
        }
        double ece = 0;
        for (int b = 0; b < CALIBRATION_BINS; b++) {
            if (count[b] > 0) {
                ece += Math.abs(sumP[b] - sumY[b]) / p.length;
            }
        }
        return ece;
    }

    private static List<CalibrationBin> calibration(double[] p, int[] y) {
        double[] sumP = new double[CALIBRATION_BINS];
        double[] sumY = new double[CALIBRATION_BINS];
        int[] count = new int[CALIBRATION_BINS];
        for (int i = 0; i < p.length; i++) {
            int b = bin(p[i]);
            sumP[b] += p[i];
            sumY[b] += y[i];
            count[b]++;
        }
        List<CalibrationBin> bins = new ArrayList<>();
        for (int b = 0; b < CALIBRATION_BINS; b++) {
            bins.add(new CalibrationBin((double) b / CALIBRATION_BINS, (double) (b + 1) / CALIBRATION_BINS, count[b],
                    count[b] == 0 ? 0 : sumP[b] / count[b], count[b] == 0 ? 0 : sumY[b] / count[b]));
        }
        return bins;
    }

    private static List<Decile> deciles(double[] p, int[] y, int positives, double baseRate) {
        int n = p.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // highest first; ties keep input order (stable sort), which the caller may have shuffled
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> p[i]).reversed());
        List<Decile> deciles = new ArrayList<>();
        int cumulative = 0;
        for (int d = 0; d < 10; d++) {
            int from = (int) ((long) n * d / 10);
            int to = (int) ((long) n * (d + 1) / 10);
            int hits = 0;
            for (int k = from; k < to; k++) {
                hits += y[order[k]];
            }
            cumulative += hits;
            int rows = to - from;
            double rate = rows == 0 ? 0 : (double) hits / rows;
            deciles.add(new Decile(d + 1, rows, rate, baseRate == 0 ? 0 : rate / baseRate,
                    positives == 0 ? 0 : (double) cumulative / positives));
        }
        return deciles;
    }

    /**
     * The ECE a perfectly calibrated model would still show on this holdout from sampling noise
     * alone: Σ_b (n_b / n) · E|mean of n_b Bernoulli(p̄_b) − p̄_b| ≈ Σ_b (n_b / n) · sqrt(2/π · p̄_b(1 − p̄_b) / n_b).
     */
    public double eceNoiseFloor() {
        double floor = 0;
        for (CalibrationBin bin : calibration) {
            if (bin.rows() > 0) {
                double q = bin.meanPredicted();
                floor += (double) bin.rows() / rows * Math.sqrt(2 / Math.PI * q * (1 - q) / bin.rows());
            }
        }
        return floor;
    }
}
