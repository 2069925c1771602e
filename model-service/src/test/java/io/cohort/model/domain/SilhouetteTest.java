package io.cohort.model.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SilhouetteTest {

    @Test
    void matchesAHandComputedExample() {
        // clusters {0, 1} and {4, 5} on a line:
        // s(0) = 1 - 1/4.5, s(1) = 1 - 1/3.5, s(4) = 1 - 1/3.5, s(5) = 1 - 1/4.5
        double[][] points = {{0}, {1}, {4}, {5}};
        int[] labels = {0, 0, 1, 1};
        double expected = (2 * (1 - 1 / 4.5) + 2 * (1 - 1 / 3.5)) / 4;
        assertEquals(expected, Silhouette.mean(points, labels), 1e-12);
    }

    @Test
    void aWrongSplitScoresNegative() {
        double[][] points = {{0}, {1}, {4}, {5}};
        int[] labels = {0, 1, 0, 1};
        assertTrue(Silhouette.mean(points, labels) < 0);
    }

    @Test
    void singletonsScoreZeroAndOneClusterScoresZero() {
        double[][] points = {{0}, {10}, {11}};
        // the singleton contributes 0; {10, 11}: a = 1, b = 10 and 11 -> (9/10 + 10/11)
        assertEquals((0.9 + 10.0 / 11) / 3, Silhouette.mean(points, new int[] {0, 1, 1}), 1e-12);
        assertEquals(0.0, Silhouette.mean(points, new int[] {7, 7, 7}));
    }

    @Test
    void theSampledEstimateIsReproducibleAndCloseToTheExactValue() {
        Random random = new Random(3);
        double[][] points = new double[600][];
        int[] labels = new int[600];
        for (int i = 0; i < points.length; i++) {
            labels[i] = i % 3;
            points[i] = new double[] {labels[i] * 5 + random.nextGaussian(), random.nextGaussian()};
        }
        double exact = Silhouette.mean(points, labels);
        double sampled = Silhouette.sampledMean(points, labels, 200, 42);
        assertEquals(sampled, Silhouette.sampledMean(points, labels, 200, 42));
        assertEquals(exact, sampled, 0.05);
        assertEquals(exact, Silhouette.sampledMean(points, labels, 600, 42), 1e-12);
    }
}
