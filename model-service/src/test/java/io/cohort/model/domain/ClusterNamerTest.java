package io.cohort.model.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.cohort.contracts.FeatureNames;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterNamerTest {

    // order: delivered, opened, clicked, days since open, orders, revenue
    private final ClusterNamer namer = new ClusterNamer(FeatureNames.BEHAVIOURAL_CLUSTERING);

    @Test
    void namesAClusterAfterItsTwoMostDistinctiveFeatures() {
        double[] z = {0.1, 1.8, 0.7, -0.9, 0.4, 2.1};
        double[] raw = {20, 12, 4, 1, 2, 300};
        assertEquals("Big spenders · frequent openers", namer.name(z, raw));
    }

    @Test
    void lowValuesGetTheirOwnPhrases() {
        double[] z = {0.0, -1.2, -0.6, 0.2, -1.5, -0.3};
        assertEquals("Occasional buyers · rare openers", namer.name(z, new double[] {20, 1, 0, 30, 0.4, 10}));
        // a mean of zero is "none", not "low"
        assertEquals("Non-buyers · non-openers", namer.name(z, new double[] {20, 0, 0, 30, 0, 0}));
    }

    @Test
    void dormantClustersOfMostlyNeverOpenedSubscribersSaySo() {
        double[] z = {0.0, -0.4, -0.3, 2.5, -0.2, -0.1};
        assertEquals("Dormant · never opened", namer.name(z, new double[] {20, 0, 0, 360, 0, 0}));
        assertEquals("Dormant", namer.name(z, new double[] {20, 0, 0, 120, 0, 0}));
    }

    @Test
    void featuresSayingTheSameThingAreNamedOnce() {
        // orders and revenue both describe purchasing: the next phrase comes from another concept
        assertEquals("Frequent buyers", namer.name(new double[] {0, 0, 0, 0, 1.5, 1.4}, null));
        assertEquals("Frequent buyers · frequent openers", namer.name(new double[] {0, 0.8, 0, 0, 1.5, 1.4}, null));
        assertEquals("Non-buyers · recently active",
                namer.name(new double[] {0, 0.5, 0.2, -0.7, -0.71, -0.72}, new double[] {20, 9, 1, 4, 0, 0}));
    }

    @Test
    void aClusterCloseToThePopulationIsAverage() {
        assertEquals("Average subscribers", namer.name(new double[] {0.1, -0.2, 0.3, -0.4, 0.0, 0.49}, null));
    }

    @Test
    void namesAreUniqueWithinAModelAndDeterministic() {
        Map<Integer, double[]> z = Map.of(
                0, new double[] {0, 2.0, 1.0, 0, 0.6, 0},
                1, new double[] {0, 2.0, 1.0, 0, -0.6, 0},
                2, new double[] {0, 2.0, 1.0, 0, 0, 0});
        Map<Integer, double[]> raw = Map.of(0, new double[6], 1, new double[6], 2, new double[6]);
        Map<Integer, String> names = namer.nameAll(z, raw);
        assertEquals("Frequent openers · frequent clickers · frequent buyers", names.get(0));
        assertEquals("Frequent openers · frequent clickers · non-buyers", names.get(1));
        assertEquals("Frequent openers · frequent clickers", names.get(2));
        assertEquals(names, namer.nameAll(z, raw));
    }

    @Test
    void identicalCentroidsFallBackToTheClusterId() {
        double[] same = {0, 1.0, 0, 0, 0, 0};
        Map<Integer, String> names = namer.nameAll(Map.of(3, same, 5, same), Map.of(3, new double[6], 5, new double[6]));
        assertEquals("Frequent openers #3", names.get(3));
        assertEquals("Frequent openers #5", names.get(5));
        assertNotEquals(names.get(3), names.get(5));
    }
}
