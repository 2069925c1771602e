package io.cohort.model.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.FeatureNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.hdbscan.HdbscanModel;

/** HDBSCAN* as the alternative clustering: recovery, noise, stable ids, protobuf round trip. */
class HdbscanClusteringTest {

    private final ClusteringTrainer trainer = new ClusteringTrainer();

    /** Subscribers like no planted behaviour: far beyond every group on several axes at once. */
    private static List<Map<String, Double>> outliers() {
        return List.of(
                Map.of(FeatureNames.EMAILS_DELIVERED_30D, 400.0, FeatureNames.EMAILS_OPENED_30D, 390.0,
                        FeatureNames.EMAILS_CLICKED_30D, 300.0, FeatureNames.DAYS_SINCE_LAST_OPEN, 0.0,
                        FeatureNames.ORDERS_90D, 80.0, FeatureNames.REVENUE_90D, 90_000.0),
                Map.of(FeatureNames.EMAILS_DELIVERED_30D, 1.0, FeatureNames.EMAILS_OPENED_30D, 1.0,
                        FeatureNames.EMAILS_CLICKED_30D, 40.0, FeatureNames.DAYS_SINCE_LAST_OPEN, 200.0,
                        FeatureNames.ORDERS_90D, 40.0, FeatureNames.REVENUE_90D, 2.0),
                Map.of(FeatureNames.EMAILS_DELIVERED_30D, 200.0, FeatureNames.EMAILS_OPENED_30D, 0.0,
                        FeatureNames.EMAILS_CLICKED_30D, 0.0, FeatureNames.ORDERS_90D, 30.0,
                        FeatureNames.REVENUE_90D, 30_000.0));
    }

    @Test
    void recoversThePlantedBehavioursWithoutBeingToldHowMany() {
        PlantedClusters.Sample sample = PlantedClusters.sample(120, 1.0, 3);
        TrainingOutcome outcome = trainer.trainHdbscan(sample.rows(), null, null, 42).withStableIds(List.of());

        int[] ids = PlantedClusters.publicIds(outcome, sample);
        // noise counts as a label of its own here: a planted member left out as noise costs agreement
        double ari = PlantedClusters.adjustedRandIndex(sample.groups(), ids);
        assertTrue(ari >= 0.9, "ARI " + ari);
        assertEquals(PlantedClusters.GROUPS, outcome.metrics().k());
        assertEquals(ClusteringTrainer.HDBSCAN, outcome.hyperparameters().algorithm());
        assertEquals("density", outcome.hyperparameters().kSelection());
        assertEquals(ClusteringTrainer.defaultMinClusterSize(sample.rows().size()),
                outcome.hyperparameters().minClusterSize());
        assertTrue(outcome.metrics().silhouette() > 0.5, "silhouette " + outcome.metrics().silhouette());
        // five planted groups, five distinct public ids 0..4 on a first version
        assertEquals(Set.of(0, 1, 2, 3, 4), new HashSet<>(PlantedClusters.idByGroup(outcome, sample).values()));
    }

    @Test
    void subscribersInNoDenseRegionAreTheNoiseGroupInProfilesAndAssignments() {
        PlantedClusters.Sample sample = PlantedClusters.sample(60, 1.0, 4);
        List<Map<String, Double>> rows = new ArrayList<>(sample.rows());
        rows.addAll(outliers());
        TrainingOutcome outcome = trainer.trainHdbscan(rows, null, null, 42).withStableIds(List.of());

        ClusterScorer scorer = outcome.scorer();
        for (Map<String, Double> outlier : outliers()) {
            ClusterScorer.Assignment assignment = scorer.assign(outlier);
            assertEquals(ClusterProfile.NOISE_ID, assignment.clusterId());
            assertEquals(ClusterProfile.NOISE_NAME, assignment.clusterName());
        }
        ClusterProfile noise = outcome.clusters().stream().filter(ClusterProfile::isNoise).findFirst().orElseThrow();
        assertEquals(ClusteringTrainer.HDBSCAN_NOISE_LABEL, noise.predictedId());
        assertEquals(outcome.metrics().noiseRows(), noise.size());
        assertTrue(noise.size() >= outliers().size(), "noise " + noise.size());
        assertEquals(rows.size(), outcome.clusters().stream().mapToInt(ClusterProfile::size).sum());
        assertEquals(PlantedClusters.GROUPS, outcome.metrics().k());
        assertTrue(outcome.clusters().stream().filter(c -> !c.isNoise()).allMatch(c -> c.clusterId() >= 0
                && !c.name().equals(ClusterProfile.NOISE_NAME)));
    }

    @Test
    void twoRetrainsOnShiftedDataKeepEveryPlantedGroupsPublicIdAndNoiseStaysNoise() {
        PlantedClusters.Sample first = PlantedClusters.sample(80, 1.0, 1);
        List<Map<String, Double>> rows = new ArrayList<>(first.rows());
        rows.addAll(outliers());
        TrainingOutcome v1 = trainer.trainHdbscan(rows, null, null, 42).withStableIds(List.of());
        Map<Integer, Integer> idOfGroup = PlantedClusters.idByGroup(v1, first);

        TrainingOutcome previous = v1;
        double[] shifts = {1.1, 1.2};
        for (int round = 0; round < shifts.length; round++) {
            PlantedClusters.Sample shifted = PlantedClusters.sample(80, shifts[round], 100 + round);
            List<Map<String, Double>> next = new ArrayList<>(shifted.rows());
            next.addAll(outliers());
            TrainingOutcome retrained = trainer.trainHdbscan(next, null, null, 42).withStableIds(previous.clusters());
            assertEquals(idOfGroup, PlantedClusters.idByGroup(retrained, shifted), "round " + round);
            assertEquals(ClusterProfile.NOISE_ID, retrained.scorer().assign(outliers().get(0)).clusterId());
            previous = retrained;
        }
    }

    @Test
    void theModelRoundTripsThroughTribuosProtobufAndScoresTheSame() {
        PlantedClusters.Sample sample = PlantedClusters.sample(40, 1.0, 6);
        List<Map<String, Double>> rows = new ArrayList<>(sample.rows());
        rows.addAll(outliers());
        TrainingOutcome outcome = trainer.trainHdbscan(rows, 8, null, 42).withStableIds(List.of());

        Model<ClusterID> restored = ClusterModelCodec.fromBytes(ClusterModelCodec.toBytes(outcome.model()));
        assertTrue(restored instanceof HdbscanModel);
        ClusterScorer original = outcome.scorer();
        ClusterScorer loaded = new ClusterScorer(outcome.preprocessing(), restored, outcome.clusters());
        for (Map<String, Double> row : rows) {
            assertEquals(original.assign(row), loaded.assign(row));
        }
        assertTrue(restored.getProvenance().toString().contains("HdbscanTrainer"));
    }

    @Test
    void refusesAnOutOfRangeMinimumClusterSizeOrTooFewRows() {
        List<Map<String, Double>> rows = PlantedClusters.sample(10, 1.0, 2).rows();
        assertThrows(IllegalArgumentException.class, () -> trainer.trainHdbscan(rows, 1, null, 42));
        assertThrows(IllegalArgumentException.class,
                () -> trainer.trainHdbscan(rows, ClusteringTrainer.MAX_CLUSTER_SIZE + 1, null, 42));
        // 50 rows cannot hold two clusters of 30
        assertThrows(IllegalArgumentException.class, () -> trainer.trainHdbscan(rows, 30, null, 42));
        assertThrows(IllegalArgumentException.class, () -> trainer.trainHdbscan(rows, 5, 0, 42));
    }

    @Test
    void samplesLargeInputsReproduciblyWithoutRepeats() {
        double[][] points = new double[50][];
        for (int i = 0; i < points.length; i++) {
            points[i] = new double[] {i};
        }
        double[][] a = ClusteringTrainer.sample(points, 20, 9);
        double[][] b = ClusteringTrainer.sample(points, 20, 9);
        Set<Double> seen = new HashSet<>();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i][0], b[i][0]);
            assertTrue(seen.add(a[i][0]));
        }
        assertEquals(20, seen.size());
        assertEquals(points, ClusteringTrainer.sample(points, 50, 9));
    }
}
