package io.cohort.model.domain.propensity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PlattScalingTest {

    /** The smoothed-target negative log-likelihood the fit minimises, for comparing fits. */
    private static double loss(PlattScaling platt, double[] s, int[] y) {
        int positives = 0;
        for (int v : y) {
            positives += v;
        }
        double hi = (positives + 1.0) / (positives + 2.0);
        double lo = 1.0 / (y.length - positives + 2.0);
        double total = 0;
        for (int i = 0; i < s.length; i++) {
            double t = y[i] == 1 ? hi : lo;
            double p = platt.apply(s[i]);
            total -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
        }
        return total;
    }

    @Test
    void recoversAKnownSigmoidFromNoisyOutcomes() {
        // outcomes drawn from p = sigmoid(0.5 s - 1): the fit lands near a = 0.5, b = -1
        Random random = new Random(7);
        int n = 20_000;
        double[] s = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = random.nextGaussian() * 3;
            y[i] = random.nextDouble() < 1 / (1 + Math.exp(-(0.5 * s[i] - 1))) ? 1 : 0;
        }
        PlattScaling fit = PlattScaling.fit(s, y);
        assertEquals(0.5, fit.a(), 0.05);
        assertEquals(-1.0, fit.b(), 0.1);
    }

    /**
     * A calibration split the model separates perfectly (XGBoost on a small training set does): the
     * smoothed targets keep the optimum finite, and plain Newton steps from (1, 0) overshot it, once to
     * a = 4e13, which turned every score into 0 or 1.
     */
    @Test
    void staysFiniteAndMonotoneWhenTheSplitIsPerfectlySeparated() {
        Random random = new Random(11);
        int n = 80;
        double[] s = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 5 == 0 ? 1 : 0;
            s[i] = y[i] == 1 ? 1 + random.nextDouble() * 3.5 : -6.6 + random.nextDouble() * 5.4;
        }
        PlattScaling fit = PlattScaling.fit(s, y);
        assertTrue(Double.isFinite(fit.a()) && Double.isFinite(fit.b()), fit.toString());
        assertTrue(fit.a() > 0 && fit.a() < 50, fit.toString());
        double low = fit.apply(-1.2);
        double high = fit.apply(2.0);
        assertTrue(low > 0 && low < high && high < 1, low + " " + high);
        // no worse than where it started, and no worse than a small move from the result
        assertTrue(loss(fit, s, y) <= loss(PlattScaling.IDENTITY, s, y));
        assertTrue(loss(fit, s, y) <= loss(new PlattScaling(fit.a() * 1.01, fit.b()), s, y) + 1e-9);
        assertTrue(loss(fit, s, y) <= loss(new PlattScaling(fit.a(), fit.b() + 0.01), s, y) + 1e-9);
    }

    @Test
    void oneOutcomeOnlyKeepsTheIdentity() {
        assertEquals(PlattScaling.IDENTITY, PlattScaling.fit(new double[] {1, 2}, new int[] {1, 1}));
    }
}
