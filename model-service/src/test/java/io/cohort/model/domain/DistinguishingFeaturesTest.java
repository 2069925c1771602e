package io.cohort.model.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cohort.contracts.FeatureNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two planted groups whose differences are known in closed form: 15 subscribers who opened 10 days
 * ago and never ordered, and 5 who opened 100 days ago and ordered 1 or 3 times; every other feature
 * is the same for everyone.
 */
class DistinguishingFeaturesTest {

    private static final double EPS = 1e-9;

    @Test
    void profilesListTheFeaturesThatSetEachClusterApartWithKnownZDifferences() {
        List<Map<String, Double>> rows = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            rows.add(row(10, 0));
        }
        for (double orders : new double[] {1, 1, 3, 3, 3}) {
            rows.add(row(100, orders));
        }
        TrainingOutcome outcome = new ClusteringTrainer().train(rows, 2, 42);
        ClusterProfile small = outcome.clusters().stream().filter(c -> c.size() == 5).findFirst().orElseThrow();
        ClusterProfile large = outcome.clusters().stream().filter(c -> c.size() == 15).findFirst().orElseThrow();

        // days_since_last_open (not log-transformed), two values split 15/5: z = +sqrt(15/5), -sqrt(5/15)
        // orders_90d in log1p space, in units of ln 2: the small group holds 1,1,2,2,2 and the large one 0s;
        // population mean 0.4, E[x^2] = 0.7, std = sqrt(0.54)
        double ordersStd = Math.sqrt(0.7 - 0.4 * 0.4);
        List<DistinguishingFeature> expectedSmall = List.of(
                new DistinguishingFeature(FeatureNames.DAYS_SINCE_LAST_OPEN, 100, 32.5, Math.sqrt(3)),
                new DistinguishingFeature(FeatureNames.ORDERS_90D, 2.2, 0.55, (1.6 - 0.4) / ordersStd),
                new DistinguishingFeature(FeatureNames.EMAILS_DELIVERED_30D, 8, 8, 0),
                new DistinguishingFeature(FeatureNames.EMAILS_OPENED_30D, 2, 2, 0),
                new DistinguishingFeature(FeatureNames.EMAILS_CLICKED_30D, 1, 1, 0));
        List<DistinguishingFeature> expectedLarge = List.of(
                new DistinguishingFeature(FeatureNames.DAYS_SINCE_LAST_OPEN, 10, 32.5, -Math.sqrt(1.0 / 3)),
                new DistinguishingFeature(FeatureNames.ORDERS_90D, 0, 0.55, -0.4 / ordersStd),
                new DistinguishingFeature(FeatureNames.EMAILS_DELIVERED_30D, 8, 8, 0),
                new DistinguishingFeature(FeatureNames.EMAILS_OPENED_30D, 2, 2, 0),
                new DistinguishingFeature(FeatureNames.EMAILS_CLICKED_30D, 1, 1, 0));
        assertFeatures(expectedSmall, small.distinguishingFeatures());
        assertFeatures(expectedLarge, large.distinguishingFeatures());
        // the generated name is built from the same ranking: dormant (days, z 1.73) before buyers (orders, z 1.63)
        assertEquals("Dormant · frequent buyers", small.name());
    }

    @Test
    void theRankingIsByAbsoluteZAndTiesKeepFeatureOrder() {
        List<DistinguishingFeature> top = ClusteringTrainer.distinguishing(List.of("a", "b", "c", "d"),
                new double[] {1, 2, 3, 4}, new double[] {0, 0, 0, 0}, new double[] {0.2, -1.5, 0.7, -0.7}, 3);
        assertEquals(List.of("b", "c", "d"), top.stream().map(DistinguishingFeature::feature).toList());
        assertEquals(-1.5, top.get(0).zDifference());
        assertEquals(2.0, top.get(0).clusterMean());
    }

    private static void assertFeatures(List<DistinguishingFeature> expected, List<DistinguishingFeature> actual) {
        assertEquals(expected.size(), actual.size(), actual.toString());
        for (int i = 0; i < expected.size(); i++) {
            DistinguishingFeature e = expected.get(i);
            DistinguishingFeature a = actual.get(i);
            assertEquals(e.feature(), a.feature(), actual.toString());
            assertEquals(e.clusterMean(), a.clusterMean(), EPS, e.feature());
            assertEquals(e.populationMean(), a.populationMean(), EPS, e.feature());
            assertEquals(e.zDifference(), a.zDifference(), 1e-6, e.feature());
        }
    }

    private static Map<String, Double> row(double daysSinceLastOpen, double orders) {
        Map<String, Double> row = new HashMap<>();
        row.put(FeatureNames.EMAILS_DELIVERED_30D, 8.0);
        row.put(FeatureNames.EMAILS_OPENED_30D, 2.0);
        row.put(FeatureNames.EMAILS_CLICKED_30D, 1.0);
        row.put(FeatureNames.DAYS_SINCE_LAST_OPEN, daysSinceLastOpen);
        row.put(FeatureNames.ORDERS_90D, orders);
        row.put(FeatureNames.REVENUE_90D, 0.0);
        return row;
    }
}
