package io.cohort.model.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cohort.contracts.FeatureNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreprocessingTest {

    private static final double EPS = 1e-9;

    private static Map<String, Double> row(double delivered, double opened, double clicked, Double daysSinceOpen,
            double orders, double revenue) {
        Map<String, Double> row = new HashMap<>();
        row.put(FeatureNames.EMAILS_DELIVERED_30D, delivered);
        row.put(FeatureNames.EMAILS_OPENED_30D, opened);
        row.put(FeatureNames.EMAILS_CLICKED_30D, clicked);
        if (daysSinceOpen != null) {
            row.put(FeatureNames.DAYS_SINCE_LAST_OPEN, daysSinceOpen);
        }
        row.put(FeatureNames.ORDERS_90D, orders);
        row.put(FeatureNames.REVENUE_90D, revenue);
        return row;
    }

    @Test
    void columnsFollowTheContractOrderAndAbsentValuesAreImputed() {
        Preprocessing p = Preprocessing.fit(List.of(row(10, 2, 1, 3.0, 1, 20), row(5, 0, 0, null, 0, 0)));
        assertEquals(FeatureNames.BEHAVIOURAL_CLUSTERING, p.features());
        // never opened counts as "a year ago"; a missing count means none
        assertArrayEquals(new double[] {5, 0, 0, 365, 0, 0}, p.raw(row(5, 0, 0, null, 0, 0)), EPS);
        assertArrayEquals(new double[] {0, 0, 0, 365, 0, 0}, p.raw(Map.of()), EPS);
        assertEquals(Preprocessing.NEVER_OPENED_DAYS, p.imputation().get(FeatureNames.DAYS_SINCE_LAST_OPEN));
    }

    @Test
    void countsAndRevenueAreLogTransformedButDaysAreNot() {
        Preprocessing p = Preprocessing.fit(List.of(row(10, 2, 1, 3.0, 1, 20), row(5, 0, 0, null, 0, 0)));
        assertEquals(List.of(FeatureNames.EMAILS_DELIVERED_30D, FeatureNames.EMAILS_OPENED_30D,
                FeatureNames.EMAILS_CLICKED_30D, FeatureNames.ORDERS_90D, FeatureNames.REVENUE_90D), p.log1p());
        // revenue: log1p(20) and log1p(0) -> mean and population std of those two values
        double a = Math.log1p(20);
        assertEquals(a / 2, p.means().get(FeatureNames.REVENUE_90D), EPS);
        assertEquals(a / 2, p.stds().get(FeatureNames.REVENUE_90D), EPS);
        // days: 3 and the imputed 365, not logged
        assertEquals((3 + 365) / 2.0, p.means().get(FeatureNames.DAYS_SINCE_LAST_OPEN), EPS);
        assertEquals((365 - 3) / 2.0, p.stds().get(FeatureNames.DAYS_SINCE_LAST_OPEN), EPS);
    }

    @Test
    void transformedColumnsHaveMeanZeroAndUnitVariance() {
        List<Map<String, Double>> rows = List.of(row(10, 2, 1, 3.0, 1, 20), row(5, 0, 0, null, 0, 0),
                row(30, 12, 4, 1.0, 3, 250), row(8, 1, 0, 40.0, 0, 0), row(12, 5, 2, 7.0, 2, 75.5));
        Preprocessing p = Preprocessing.fit(rows);
        double[][] z = rows.stream().map(p::transform).toArray(double[][]::new);
        for (int column = 0; column < FeatureNames.BEHAVIOURAL_CLUSTERING.size(); column++) {
            double sum = 0;
            double squares = 0;
            for (double[] r : z) {
                sum += r[column];
                squares += r[column] * r[column];
            }
            assertEquals(0.0, sum / rows.size(), 1e-9, "mean of " + FeatureNames.BEHAVIOURAL_CLUSTERING.get(column));
            assertEquals(1.0, squares / rows.size(), 1e-9, "variance of " + FeatureNames.BEHAVIOURAL_CLUSTERING.get(column));
        }
    }

    @Test
    void aConstantColumnMapsToZeroInsteadOfDividingByZero() {
        Preprocessing p = Preprocessing.fit(List.of(row(20, 2, 1, 3.0, 1, 20), row(20, 0, 0, null, 0, 0)));
        assertEquals(1.0, p.stds().get(FeatureNames.EMAILS_DELIVERED_30D));
        assertEquals(0.0, p.transform(row(20, 1, 1, 2.0, 0, 0))[0], EPS);
    }

    @Test
    void negativeRevenueIsClampedBeforeTheLog() {
        Preprocessing p = Preprocessing.fit(List.of(row(1, 1, 1, 1.0, 1, 10), row(1, 1, 1, 1.0, 1, 0)));
        assertArrayEquals(p.transform(row(1, 1, 1, 1.0, 1, 0)), p.transform(row(1, 1, 1, 1.0, 1, -50)), EPS);
    }

    @Test
    void survivesAJsonRoundTripOfItsRecordComponents() {
        Preprocessing p = Preprocessing.fit(List.of(row(10, 2, 1, 3.0, 1, 20), row(5, 0, 0, null, 0, 0)));
        Preprocessing copy = new Preprocessing(p.features(), new HashMap<>(p.imputation()), p.log1p(),
                new HashMap<>(p.means()), new HashMap<>(p.stds()));
        assertArrayEquals(p.transform(row(7, 1, 0, 9.0, 0, 3)), copy.transform(row(7, 1, 0, 9.0, 0, 3)), EPS);
    }
}
