package io.cohort.model.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StableClusterIdsTest {

    private final ClusteringTrainer trainer = new ClusteringTrainer();

    /** Which stable id the members of each behaviour group get. */
    private static Map<Integer, Integer> idByGroup(TrainingOutcome outcome) {
        Map<Integer, Integer> ids = new HashMap<>();
        Random random = new Random(5);
        ClusterScorer scorer = outcome.scorer();
        for (int group = 0; group < 3; group++) {
            ids.put(group, scorer.assign(BehaviourGroups.member(group, random)).clusterId());
        }
        return ids;
    }

    @Test
    void aRetrainOnSimilarDataKeepsEachBehavioursClusterId() {
        TrainingOutcome first = trainer.train(BehaviourGroups.rows(20, 3), 3, 42);
        Map<Integer, Integer> before = idByGroup(first);
        assertEquals(3, new java.util.HashSet<>(before.values()).size());
        // other seeds number K-Means clusters differently; stable ids must not care
        for (long seed : new long[] {1, 7, 99, 1234}) {
            TrainingOutcome retrained = trainer.train(BehaviourGroups.rows(25, 3), 3, seed)
                    .withStableIds(first.clusters());
            assertEquals(before, idByGroup(retrained), "seed " + seed);
        }
    }

    @Test
    void aFirstVersionKeepsTribuosIds() {
        TrainingOutcome outcome = trainer.train(BehaviourGroups.rows(20, 3), 3, 42);
        List<ClusterProfile> stable = StableClusterIds.assign(List.of(), outcome.clusters(), outcome.preprocessing());
        for (int i = 0; i < stable.size(); i++) {
            assertEquals(i, stable.get(i).clusterId());
            assertEquals(outcome.clusters().get(i).clusterId(), stable.get(i).predictedId());
        }
    }

    @Test
    void aNewBehaviourGetsAnIdNoPreviousClusterHad() {
        // the first version never saw dormant subscribers: buyers and openers only (rows alternate 0,1,2)
        List<Map<String, Double>> twoBehaviours = new ArrayList<>();
        List<Map<String, Double>> all = BehaviourGroups.rows(20, 2);
        for (int i = 0; i < all.size(); i++) {
            if (i % 3 != BehaviourGroups.DORMANT) {
                twoBehaviours.add(all.get(i));
            }
        }
        TrainingOutcome two = trainer.train(twoBehaviours, 2, 42);
        TrainingOutcome three = trainer.train(BehaviourGroups.rows(20, 3), 3, 42).withStableIds(two.clusters());
        Map<Integer, Integer> ids = idByGroup(three);
        Map<Integer, Integer> previousIds = idByGroup(two.withStableIds(List.of()));
        assertEquals(previousIds.get(BehaviourGroups.BUYERS), ids.get(BehaviourGroups.BUYERS));
        assertEquals(previousIds.get(BehaviourGroups.OPENERS), ids.get(BehaviourGroups.OPENERS));
        List<Integer> old = new ArrayList<>();
        two.clusters().forEach(c -> old.add(c.clusterId()));
        assertEquals(false, old.contains(ids.get(BehaviourGroups.DORMANT)), "the dormant cluster is new: " + ids);
        assertEquals(2, ids.get(BehaviourGroups.DORMANT), "the smallest id not taken");
    }

    @Test
    void clustersTooFarApartAreNotMatched() {
        Map<String, Double> far = new HashMap<>();
        TrainingOutcome outcome = trainer.train(BehaviourGroups.rows(20, 3), 3, 42);
        outcome.clusters().get(0).centroid().forEach((k, v) -> far.put(k, v * 100 + 1000));
        List<ClusterProfile> previous = List.of(new ClusterProfile(7, "elsewhere", 10, 1.0, far));
        List<ClusterProfile> stable = StableClusterIds.assign(previous, outcome.clusters(), outcome.preprocessing());
        stable.forEach(c -> assertNotEquals(7, c.clusterId()));
    }
}
