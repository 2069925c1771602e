package io.cohort.model.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.FeatureNames;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusteringTrainerTest {

    private final ClusteringTrainer trainer = new ClusteringTrainer();

    @Test
    void theBestSilhouetteWinsAndTiesGoToTheSmallerK() {
        assertEquals(4, ClusteringTrainer.bestK(Map.of(2, 0.41, 3, 0.52, 4, 0.61, 5, 0.58)));
        assertEquals(3, ClusteringTrainer.bestK(Map.of(2, 0.41, 3, 0.70, 6, 0.70)));
        assertThrows(IllegalArgumentException.class, () -> ClusteringTrainer.bestK(Map.of()));
    }

    @Test
    void requiredRowsIsTheLargerOfTenAndTwoPerCluster() {
        assertEquals(10, ClusteringTrainer.requiredRows(null));
        assertEquals(10, ClusteringTrainer.requiredRows(3));
        assertEquals(16, ClusteringTrainer.requiredRows(8));
        assertEquals(40, ClusteringTrainer.requiredRows(20));
    }

    @Test
    void withoutKTheSilhouetteOverFourToTwelveFindsFivePlantedClusters() {
        PlantedClusters.Sample sample = PlantedClusters.sample(60, 1.0, 7);
        TrainingOutcome outcome = trainer.train(sample.rows(), null, 42);
        assertEquals("silhouette", outcome.hyperparameters().kSelection());
        assertEquals(Set.of(4, 5, 6, 7, 8, 9, 10, 11, 12), outcome.metrics().silhouetteByK().keySet());
        assertEquals(PlantedClusters.GROUPS, outcome.metrics().k(), outcome.metrics().silhouetteByK().toString());
        assertEquals(outcome.metrics().silhouette(), outcome.metrics().silhouetteByK().get(PlantedClusters.GROUPS));
        double ari = PlantedClusters.adjustedRandIndex(sample.groups(), PlantedClusters.publicIds(outcome, sample));
        assertTrue(ari >= 0.9, "ARI " + ari);
    }

    @Test
    void fewerNaturalGroupsThanFourStillGiveFourClustersThatNeverMixGroups() {
        List<Map<String, Double>> rows = BehaviourGroups.rows(20, 7);
        TrainingOutcome outcome = trainer.train(rows, null, 42);
        assertEquals(4, outcome.metrics().k(), outcome.metrics().silhouetteByK().toString());
        // each cluster holds one behaviour only: a group may be split, never merged with another
        for (ClusterProfile cluster : outcome.clusters()) {
            assertTrue(cluster.size() <= 20, cluster.toString());
        }
    }

    @Test
    void aRequestedKIsUsedAndProfiledInOriginalUnits() {
        List<Map<String, Double>> rows = BehaviourGroups.rows(20, 11);
        TrainingOutcome outcome = trainer.train(rows, 3, 42);
        assertEquals("requested", outcome.hyperparameters().kSelection());
        assertNull(outcome.metrics().silhouetteByK());
        assertEquals(60, outcome.metrics().rows());
        assertTrue(outcome.metrics().inertia() > 0);
        assertEquals(3, outcome.clusters().size());
        for (ClusterProfile cluster : outcome.clusters()) {
            assertEquals(20, cluster.size());
            assertEquals(1.0 / 3, cluster.share(), 1e-9);
            assertEquals(FeatureNames.BEHAVIOURAL_CLUSTERING, List.copyOf(cluster.centroid().keySet()));
            assertEquals(20.0, cluster.centroid().get(FeatureNames.EMAILS_DELIVERED_30D), 1e-9);
        }
        ClusterProfile dormant = outcome.clusters().stream()
                .filter(c -> c.centroid().get(FeatureNames.EMAILS_OPENED_30D) == 0.0).findFirst().orElseThrow();
        // absent days_since_last_open is reported as the imputed value
        assertEquals(365.0, dormant.centroid().get(FeatureNames.DAYS_SINCE_LAST_OPEN), 1e-9);
        assertTrue(dormant.name().startsWith("Dormant · never opened"), dormant.name());
        ClusterProfile buyers = outcome.clusters().stream()
                .max((a, b) -> Double.compare(a.centroid().get(FeatureNames.REVENUE_90D),
                        b.centroid().get(FeatureNames.REVENUE_90D))).orElseThrow();
        assertTrue(buyers.centroid().get(FeatureNames.REVENUE_90D) >= 400, buyers.toString());
        assertEquals(3, Set.copyOf(outcome.clusters().stream().map(ClusterProfile::name).toList()).size());
        assertGroupsAreClusters(rows, outcome);
    }

    @Test
    void theSameSeedGivesTheSameModel() {
        List<Map<String, Double>> rows = BehaviourGroups.rows(15, 5);
        assertEquals(trainer.train(rows, 4, 9).clusters(), trainer.train(rows, 4, 9).clusters());
    }

    @Test
    void refusesTooFewRowsAndKOutOfRange() {
        List<Map<String, Double>> rows = BehaviourGroups.rows(3, 1);
        assertThrows(IllegalArgumentException.class, () -> trainer.train(rows, null, 42));
        assertThrows(IllegalArgumentException.class, () -> trainer.train(BehaviourGroups.rows(20, 1), 21, 42));
        assertThrows(IllegalArgumentException.class, () -> trainer.train(BehaviourGroups.rows(20, 1), 1, 42));
    }

    private static void assertGroupsAreClusters(List<Map<String, Double>> rows, TrainingOutcome outcome) {
        ClusterScorer scorer = outcome.scorer();
        Set<Integer> clusters = new HashSet<>();
        for (int group = 0; group < 3; group++) {
            Set<Integer> ofGroup = new HashSet<>();
            for (int i = group; i < rows.size(); i += 3) {
                ofGroup.add(scorer.assign(rows.get(i)).clusterId());
            }
            assertEquals(1, ofGroup.size(), "group " + group + " spans clusters " + ofGroup);
            clusters.addAll(ofGroup);
        }
        assertEquals(3, clusters.size(), "each group its own cluster");
    }
}
