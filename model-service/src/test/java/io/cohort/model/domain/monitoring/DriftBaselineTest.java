package io.cohort.model.domain.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.model.domain.SubscriberPredictor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftBaselineTest {

    private static List<Map<String, Double>> rows(int n, double mean, double missingShare, long seed) {
        Random random = new Random(seed);
        List<Map<String, Double>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Double> row = new HashMap<>();
            if (random.nextDouble() >= missingShare) {
                row.put("x", mean + random.nextGaussian());
            }
            row.put("y", random.nextDouble());
            rows.add(row);
        }
        return rows;
    }

    @Test
    void psiIsNearZeroForTheSameDistributionAndLargeForAShift() {
        SubscriberPredictor doubleX = f -> new SubscriberPredictor.Prediction(
                Map.of("s", 2 * f.getOrDefault("x", 0.0)), Map.of());
        DriftBaseline baseline = DriftBaseline.fit(rows(5000, 0, 0.1, 1), List.of("x", "y"), List.of(doubleX));
        assertEquals(11, baseline.features().get("x").shares().size(), "9 edges → 10 bins + absent");
        assertEquals(0.1, baseline.features().get("x").shares().get(10), 0.02);

        List<Map<String, Double>> same = rows(5000, 0, 0.1, 2);
        double stable = DriftBaseline.psi(baseline.features().get("x"), DriftBaseline.values(same, r -> DriftBaseline.value(r, "x")));
        assertTrue(stable < DriftBaseline.MODERATE, "same distribution: " + stable);

        List<Map<String, Double>> shifted = rows(5000, 1, 0.1, 3);
        double major = DriftBaseline.psi(baseline.features().get("x"), DriftBaseline.values(shifted, r -> DriftBaseline.value(r, "x")));
        assertTrue(major > DriftBaseline.MAJOR, "one-sd shift: " + major);
        assertEquals("major", DriftBaseline.status(major));
        double scoreShift = DriftBaseline.psi(baseline.scores().get("s"),
                DriftBaseline.scores(shifted, List.of(doubleX)).get("s"));
        assertTrue(scoreShift > DriftBaseline.MAJOR, "score drift follows: " + scoreShift);

        // more absent values alone is drift too
        List<Map<String, Double>> missing = rows(5000, 0, 0.5, 4);
        assertTrue(DriftBaseline.psi(baseline.features().get("x"),
                DriftBaseline.values(missing, r -> DriftBaseline.value(r, "x"))) > DriftBaseline.MODERATE);
        // y never moved
        assertTrue(DriftBaseline.psi(baseline.features().get("y"),
                DriftBaseline.values(shifted, r -> DriftBaseline.value(r, "y"))) < DriftBaseline.MODERATE);
    }
}
