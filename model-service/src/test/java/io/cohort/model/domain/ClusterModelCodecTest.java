package io.cohort.model.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.kmeans.KMeansModel;

class ClusterModelCodecTest {

    @Test
    void aModelSurvivesTheProtobufRoundTripWithIdenticalPredictions() {
        List<Map<String, Double>> rows = BehaviourGroups.rows(10, 3);
        TrainingOutcome outcome = new ClusteringTrainer().train(rows, 3, 42);

        byte[] bytes = ClusterModelCodec.toBytes(outcome.model());
        assertTrue(bytes.length > 0);
        Model<ClusterID> restored = ClusterModelCodec.fromBytes(bytes);
        assertNotSame(outcome.model(), restored);
        assertTrue(restored instanceof KMeansModel);
        assertEquals(outcome.model().getProvenance(), restored.getProvenance());

        ClusterScorer original = outcome.scorer();
        ClusterScorer reloaded = new ClusterScorer(outcome.preprocessing(), restored, outcome.clusters());
        Random random = new Random(99);
        for (int i = 0; i < 60; i++) {
            Map<String, Double> subscriber = BehaviourGroups.member(i % 3, random);
            assertEquals(original.assign(subscriber).clusterId(), reloaded.assign(subscriber).clusterId());
        }
    }

    @Test
    void bytesThatAreNotAModelAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClusterModelCodec.fromBytes(new byte[] {1, 2, 3, 4}));
    }
}
