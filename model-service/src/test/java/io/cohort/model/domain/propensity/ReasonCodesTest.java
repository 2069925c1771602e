package io.cohort.model.domain.propensity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Per-prediction reason codes of both propensity algorithms on data where one feature drives the label. */
class ReasonCodesTest {

    private static final String DRIVER = "emails_clicked_30d";
    private static final List<String> FEATURES = List.of("emails_delivered_30d", DRIVER, "orders_90d", "tenure_days");

    /** The outcome is 1 when the driver is high (plus a little label noise); the other features are noise. */
    private static List<LabelledRow> rows(int n, long seed) {
        Random random = new Random(seed);
        List<LabelledRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double driver = random.nextGaussian();
            int outcome = driver + 0.3 * random.nextGaussian() > 0.8 ? 1 : 0;
            rows.add(new LabelledRow(Map.of(
                    "emails_delivered_30d", 10 + 3 * random.nextGaussian(),
                    DRIVER, driver,
                    "orders_90d", random.nextGaussian(),
                    "tenure_days", 300 + 50 * random.nextGaussian()), outcome));
        }
        return rows;
    }

    private static PropensityModel train(String algorithm) {
        PropensityTrainer.Spec spec = PropensityTrainer.Spec.defaults("propensity.clicked_7d", FEATURES)
                .withAlgorithm(algorithm);
        return new PropensityTrainer().train(rows(1500, 1), rows(300, 2), spec).model();
    }

    @Test
    void xgboostNamesTheDrivingFeatureFirstForEveryHighScore() {
        assertDriverLeadsTheHighScores(train(PropensityTrainer.XGBOOST));
    }

    @Test
    void logisticRegressionNamesTheDrivingFeatureFirstForEveryHighScore() {
        assertDriverLeadsTheHighScores(train(PropensityTrainer.LOGISTIC));
    }

    @Test
    void xgboostContributionsAddUpToTheModelsLogOdds() {
        PropensityModel model = train(PropensityTrainer.XGBOOST);
        for (LabelledRow row : rows(50, 4)) {
            double[] z = model.standardiser().transform(row.features());
            double sum = model.shapBias(z);
            for (double contribution : model.contributions(z)) {
                sum += contribution;
            }
            double p = model.rawProbability(z);
            // XGBoost works in float: allow float rounding on log-odds of a clipped probability
            assertEquals(Math.log(p / (1 - p)), sum, 1e-3, "row " + row.features());
        }
    }

    private static void assertDriverLeadsTheHighScores(PropensityModel model) {
        List<LabelledRow> scored = new ArrayList<>(rows(400, 3));
        scored.sort(Comparator.comparingDouble((LabelledRow r) -> -model.probability(r.features())));
        // the top decile of scores: every one of them is high because of the driver
        for (LabelledRow row : scored.subList(0, 40)) {
            var prediction = model.predict(row.features());
            assertTrue(prediction.scores().get("propensity.clicked_7d") > 0.5, "score " + prediction.scores());
            List<String> reasons = prediction.reasons().get("propensity.clicked_7d");
            assertFalse(reasons == null || reasons.isEmpty(), "no reasons for " + row.features());
            assertEquals(DRIVER, reasons.get(0), "reasons " + reasons + " for " + row.features());
            assertTrue(reasons.size() <= PropensityModel.REASONS);
        }
    }
}
