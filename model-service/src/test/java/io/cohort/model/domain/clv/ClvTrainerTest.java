package io.cohort.model.domain.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.ScoreNames;
import io.cohort.model.domain.TrainedModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hipparchus.distribution.continuous.BetaDistribution;
import org.hipparchus.distribution.continuous.GammaDistribution;
import org.junit.jupiter.api.Test;

/** clv.btyd on feature vectors simulated from known BG/NBD and Gamma-Gamma parameters (in days). */
class ClvTrainerTest {

    private static final double R = 0.6;
    private static final double ALPHA = 40;
    private static final double A = 0.8;
    private static final double B = 2.5;
    private static final double P = 6;
    private static final double Q = 4;
    private static final double GAMMA = 60;

    @Test
    void recoversSimulatedParametersFromFeatures() {
        List<Map<String, Double>> rows = simulate(6000, new Random(7));
        TrainedModel trained = new ClvTrainer().train(rows, Instant.parse("2026-01-01T00:00:00Z"));
        ClvModel model = ClvTrainer.load(trained.artifact());
        BgNbd bg = model.bgNbd();
        // sampling error on 6000 customers: a generous 25% band still separates these from the start values (1, mean T, 1, 1)
        assertEquals(R, bg.r(), 0.25 * R, "r " + bg);
        assertEquals(ALPHA, bg.alpha(), 0.25 * ALPHA, "alpha " + bg);
        assertEquals(A, bg.a(), 0.25 * A, "a " + bg);
        assertEquals(B, bg.b(), 0.25 * B, "b " + bg);
        GammaGamma gg = model.gammaGamma();
        assertEquals(P * GAMMA / (Q - 1), gg.populationMeanValue(), 0.1 * P * GAMMA / (Q - 1), "mean value " + gg);
        assertEquals(model, trained.predictor());
    }

    @Test
    void scoresNameTheContractOutputs() {
        ClvModel model = new ClvModel(new BgNbd(R, ALPHA, A, B), new GammaGamma(P, Q, GAMMA), P * GAMMA / (Q - 1));
        Map<String, Double> recentBuyer = Map.of(FeatureNames.TENURE_DAYS, 300.0, FeatureNames.ORDERS_365D, 8.0,
                FeatureNames.DAYS_SINCE_LAST_ORDER, 3.0, FeatureNames.AVERAGE_ORDER_VALUE_365D, 150.0);
        Map<String, Double> lapsedBuyer = Map.of(FeatureNames.TENURE_DAYS, 300.0, FeatureNames.ORDERS_365D, 8.0,
                FeatureNames.DAYS_SINCE_LAST_ORDER, 250.0, FeatureNames.AVERAGE_ORDER_VALUE_365D, 150.0);
        Map<String, Double> recent = model.predict(recentBuyer).scores();
        Map<String, Double> lapsed = model.predict(lapsedBuyer).scores();
        assertTrue(recent.get(ScoreNames.P_ALIVE) > 0.9, recent.toString());
        assertTrue(lapsed.get(ScoreNames.P_ALIVE) < 0.2, lapsed.toString());
        assertTrue(recent.get(ScoreNames.EXPECTED_ORDERS_90D) > lapsed.get(ScoreNames.EXPECTED_ORDERS_90D));
        assertTrue(recent.get(ScoreNames.CLV_365D) > lapsed.get(ScoreNames.CLV_365D));
        assertTrue(recent.containsKey(ScoreNames.EXPECTED_DAYS_TO_NEXT_ORDER));
        assertFalse(lapsed.containsKey(ScoreNames.EXPECTED_DAYS_TO_NEXT_ORDER));
        // rfm_* take precedence over the 365-day order features
        Map<String, Double> withRfm = new HashMap<>(lapsedBuyer);
        withRfm.put(FeatureNames.RFM_RECENCY_DAYS, 3.0);
        assertEquals(recent.get(ScoreNames.P_ALIVE), model.predict(withRfm).scores().get(ScoreNames.P_ALIVE), 1e-12);
        // without tenure there is nothing to score
        assertTrue(model.predict(Map.of(FeatureNames.ORDERS_365D, 2.0)).scores().isEmpty());
    }

    @Test
    void refusesTooFewBuyers() {
        List<Map<String, Double>> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(Map.of(FeatureNames.TENURE_DAYS, 100.0 + i));
        }
        assertThrows(ClvTrainer.NotEnoughData.class, () -> new ClvTrainer().train(rows, Instant.EPOCH));
    }

    static List<Map<String, Double>> simulate(int n, Random random) {
        GammaDistribution rate = new GammaDistribution(R, 1 / ALPHA);
        BetaDistribution dropout = new BetaDistribution(A, B);
        GammaDistribution nu = new GammaDistribution(Q, 1 / GAMMA);
        List<Map<String, Double>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double lambda = rate.inverseCumulativeProbability(random.nextDouble());
            double p = dropout.inverseCumulativeProbability(random.nextDouble());
            double T = 30 + random.nextDouble() * 335;
            double t = 0;
            int x = 0;
            double tx = 0;
            while (true) {
                t += -Math.log(1 - random.nextDouble()) / lambda;
                if (t > T) {
                    break;
                }
                x++;
                tx = t;
                if (random.nextDouble() < p) {
                    break;
                }
            }
            Map<String, Double> row = new HashMap<>();
            row.put(FeatureNames.TENURE_DAYS, T);
            row.put(FeatureNames.ORDERS_365D, (double) x);
            if (x > 0) {
                row.put(FeatureNames.DAYS_SINCE_LAST_ORDER, T - tx);
                double customerNu = nu.inverseCumulativeProbability(random.nextDouble());
                GammaDistribution value = new GammaDistribution(P, 1 / customerNu);
                double sum = 0;
                for (int k = 0; k < x; k++) {
                    sum += value.inverseCumulativeProbability(random.nextDouble());
                }
                row.put(FeatureNames.AVERAGE_ORDER_VALUE_365D, sum / x);
            }
            rows.add(row);
        }
        return rows;
    }
}
