package io.cohort.model.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Recovery of planted clusters and stable public ids across two retrains on drifting data. */
class PlantedClustersTest {

    private final ClusteringTrainer trainer = new ClusteringTrainer();

    @Test
    void adjustedRandIndexIsOneForTheSamePartitionAndNearZeroForAnUnrelatedOne() {
        assertEquals(1.0, PlantedClusters.adjustedRandIndex(new int[] {0, 0, 1, 1, 2}, new int[] {5, 5, 3, 3, 9}), 1e-12);
        assertTrue(Math.abs(PlantedClusters.adjustedRandIndex(new int[] {0, 0, 1, 1, 0, 1, 0, 1},
                new int[] {0, 1, 0, 1, 0, 1, 1, 0})) < 0.2);
    }

    @Test
    void twoRetrainsOnShiftedDataKeepEveryPlantedGroupsPublicId() {
        PlantedClusters.Sample first = PlantedClusters.sample(50, 1.0, 1);
        TrainingOutcome v1 = trainer.train(first.rows(), null, 42);
        assertTrue(PlantedClusters.adjustedRandIndex(first.groups(), PlantedClusters.publicIds(v1, first)) >= 0.9);
        Map<Integer, Integer> idOfGroup = idByGroup(v1, first);

        // the population drifts 10% and then 20%, and each retrain uses another seed
        TrainingOutcome previous = v1;
        double[] shifts = {1.1, 1.2};
        for (int round = 0; round < shifts.length; round++) {
            PlantedClusters.Sample shifted = PlantedClusters.sample(50, shifts[round], 100 + round);
            TrainingOutcome next = trainer.train(shifted.rows(), null, 7 + round).withStableIds(previous.clusters());
            int[] ids = PlantedClusters.publicIds(next, shifted);
            assertTrue(PlantedClusters.adjustedRandIndex(shifted.groups(), ids) >= 0.9, "round " + round);
            assertEquals(idOfGroup, idByGroup(next, shifted), "round " + round);
            previous = next;
        }
    }

    private static Map<Integer, Integer> idByGroup(TrainingOutcome outcome, PlantedClusters.Sample sample) {
        return PlantedClusters.idByGroup(outcome, sample);
    }
}
