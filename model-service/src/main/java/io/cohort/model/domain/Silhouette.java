package io.cohort.model.domain;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Mean silhouette coefficient (Rousseeuw 1987) with Euclidean distance: for each point,
 * {@code (b - a) / max(a, b)} where a is the mean distance to its own cluster and b the smallest
 * mean distance to another cluster. 1 is perfectly separated, 0 overlapping, negative misassigned.
 * A point alone in its cluster scores 0 (the usual convention).
 */
public final class Silhouette {

    private Silhouette() {
    }

    /**
     * The mean silhouette over all points. Returns 0 when fewer than two clusters are present,
     * because the coefficient is undefined there and 0 ranks such a clustering below any real split.
     */
    public static double mean(double[][] points, int[] labels) {
        return meanOf(points, labels, identity(points.length));
    }

    /**
     * The mean silhouette over at most {@code maxPoints} points drawn with {@code seed}: the exact
     * computation is quadratic, so large lists are estimated on a reproducible sample.
     */
    public static double sampledMean(double[][] points, int[] labels, int maxPoints, long seed) {
        if (points.length <= maxPoints) {
            return mean(points, labels);
        }
        int[] indices = identity(points.length);
        Random random = new Random(seed);
        for (int i = indices.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = indices[i];
            indices[i] = indices[j];
            indices[j] = swap;
        }
        int[] sample = new int[maxPoints];
        System.arraycopy(indices, 0, sample, 0, maxPoints);
        return meanOf(points, labels, sample);
    }

    private static double meanOf(double[][] points, int[] labels, int[] sample) {
        if (points.length != labels.length) {
            throw new IllegalArgumentException("one label per point is required");
        }
        Map<Integer, Integer> sizes = new HashMap<>();
        for (int index : sample) {
            sizes.merge(labels[index], 1, Integer::sum);
        }
        if (sizes.size() < 2) {
            return 0.0;
        }
        double total = 0.0;
        for (int i : sample) {
            Map<Integer, Double> distanceSums = new HashMap<>();
            for (int j : sample) {
                if (i != j) {
                    distanceSums.merge(labels[j], distance(points[i], points[j]), Double::sum);
                }
            }
            int ownSize = sizes.get(labels[i]);
            if (ownSize == 1) {
                continue;
            }
            double a = distanceSums.getOrDefault(labels[i], 0.0) / (ownSize - 1);
            double b = Double.POSITIVE_INFINITY;
            for (Map.Entry<Integer, Integer> other : sizes.entrySet()) {
                if (other.getKey() != labels[i]) {
                    b = Math.min(b, distanceSums.getOrDefault(other.getKey(), 0.0) / other.getValue());
                }
            }
            double denominator = Math.max(a, b);
            total += denominator == 0.0 ? 0.0 : (b - a) / denominator;
        }
        return total / sample.length;
    }

    static double distance(double[] x, double[] y) {
        double sum = 0.0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    private static int[] identity(int n) {
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = i;
        }
        return indices;
    }
}
