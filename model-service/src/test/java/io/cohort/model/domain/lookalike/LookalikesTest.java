package io.cohort.model.domain.lookalike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.FeatureNames;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LookalikesTest {

    /** 3 behaviours × 100; group 0 (buyers) has two modes: big and small baskets. */
    private static Map<String, Map<String, Double>> population(Random random) {
        Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
        for (int g = 0; g < 3; g++) {
            for (int i = 0; i < 100; i++) {
                Map<String, Double> row = new HashMap<>();
                double noise = 0.8 + 0.4 * random.nextDouble();
                switch (g) {
                    case 0 -> {
                        row.put(FeatureNames.ORDERS_90D, (i % 2 == 0 ? 2 : 8) * noise);
                        row.put(FeatureNames.REVENUE_90D, (i % 2 == 0 ? 80 : 2000) * noise);
                        row.put(FeatureNames.EMAILS_OPENED_30D, 10 * noise);
                    }
                    case 1 -> row.put(FeatureNames.EMAILS_OPENED_30D, 20 * noise);
                    default -> row.put(FeatureNames.EMAILS_DELIVERED_30D, 30 * noise);
                }
                row.putIfAbsent(FeatureNames.EMAILS_DELIVERED_30D, 30.0);
                rows.put("g" + g + "-" + i, row);
            }
        }
        return rows;
    }

    @Test
    void findsTheSeedsBehaviourAndRecallsHeldOutSeeds() {
        Map<String, Map<String, Double>> population = population(new Random(3));
        Set<String> seeds = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            seeds.add("g0-" + i);
        }
        Lookalikes.Result result = Lookalikes.find(population, seeds, 60, 1);
        assertEquals(40, result.seeds());
        assertEquals(260, result.candidates());
        assertEquals(60, result.matches().size());
        // the 60 other buyers (both basket modes) come first, no seed among them
        for (Lookalikes.Match match : result.matches()) {
            assertTrue(match.subscriberId().startsWith("g0-"), match.toString());
            assertTrue(!seeds.contains(match.subscriberId()));
            assertTrue(match.similarity() > 0 && match.similarity() <= 1);
        }
        for (int i = 1; i < result.matches().size(); i++) {
            assertTrue(result.matches().get(i - 1).similarity() >= result.matches().get(i).similarity());
        }
        // recall of the 8 held-out seeds: they compete with the 60 other buyers, so measure it at 68,
        // the number of buyers left when 32 seeds are kept; a perfect behaviour-level ranking gives 1
        Lookalikes.Evaluation evaluation = Lookalikes.find(population, seeds, 68, 1).evaluation();
        assertEquals(8, evaluation.heldOut());
        assertTrue(evaluation.recall() >= 0.9, evaluation.toString());
        assertTrue(evaluation.recall() > 3 * evaluation.randomRecall(), evaluation.toString());
    }
}
