package io.cohort.model.domain.propensity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A visit propensity model on the real Hillstrom e-mail test, judged on a held-out 30% against a
 * baseline computed here: the same calibrated logistic regression on recency alone (the classic
 * single RFM feature). Figures are reported in docs/MODELS.md.
 */
class HillstromPropensityTest {

    @Test
    void visitModelBeatsTheRecencyBaselineAndIsCalibrated() throws Exception {
        List<LabelledRow> rows = Hillstrom.shuffled(Hillstrom.load("visit"), 2008);
        assertEquals(64_000, rows.size());
        int split = (int) (rows.size() * 0.7);
        List<LabelledRow> training = rows.subList(0, split);
        List<LabelledRow> holdout = rows.subList(split, rows.size());

        PropensityTrainer trainer = new PropensityTrainer();
        PropensityTrainer.Outcome model = trainer.train(training, holdout,
                PropensityTrainer.Spec.defaults("visit", Hillstrom.FEATURES));
        PropensityTrainer.Outcome baseline = trainer.train(training, holdout,
                PropensityTrainer.Spec.defaults("visit", List.of("recency")));
        BinaryMetrics m = model.holdout();
        BinaryMetrics b = baseline.holdout();
        System.out.printf("hillstrom visit: model %s%nbaseline %s%nuncalibrated ece %.5f logloss %.5f; noise floor %.5f%n",
                m, b, model.uncalibratedEce(), model.uncalibratedLogLoss(), m.eceNoiseFloor());

        assertEquals(19_200, m.rows());
        double margin = 2 * Math.sqrt(m.aucStandardError() * m.aucStandardError()
                + b.aucStandardError() * b.aucStandardError());
        assertTrue(m.auc() > b.auc() + margin, "AUC " + m.auc() + " vs recency baseline " + b.auc() + " + " + margin);
        assertTrue(m.logLoss() < b.logLoss(), "log loss " + m.logLoss() + " vs baseline " + b.logLoss());
        assertTrue(m.brier() < b.brier());
        // ECE bound: what a perfectly calibrated mapping would still show here, twice. Two noise sources:
        // the holdout's own binning noise (eceNoiseFloor) and the Platt fit's intercept error from its
        // calibration rows, at least the standard error of their base rate.
        double calibrationSe = Math.sqrt(m.baseRate() * (1 - m.baseRate()) / model.calibrationRows());
        double eceBound = 2 * (m.eceNoiseFloor() + calibrationSe);
        System.out.printf("ECE %.4f, bound %.4f (noise floor %.4f + calibration SE %.4f, x2)%n", m.ece(), eceBound,
                m.eceNoiseFloor(), calibrationSe);
        assertTrue(m.ece() <= eceBound, "ECE " + m.ece() + " vs bound " + eceBound);
        assertTrue(m.deciles().get(0).lift() > 1.5, m.deciles().toString());

        // gradient-boosted trees (XGBoost through Tribuo) on the same split, read back from protobuf
        PropensityTrainer.Outcome trees = trainer.train(training, holdout,
                PropensityTrainer.Spec.defaults("visit", Hillstrom.FEATURES).withAlgorithm(PropensityTrainer.XGBOOST));
        BinaryMetrics x = trees.holdout();
        System.out.printf("hillstrom visit xgboost: auc %.4f (se %.4f) logloss %.4f brier %.4f ece %.4f lift1 %.2f%n",
                x.auc(), x.aucStandardError(), x.logLoss(), x.brier(), x.ece(), x.deciles().get(0).lift());
        assertTrue(x.auc() > b.auc() + margin, "XGBoost AUC " + x.auc());
        assertTrue(x.ece() <= eceBound, "XGBoost ECE " + x.ece());
        PropensityModel reread = new PropensityModel("visit", trees.model().standardiser(),
                PropensityModel.readArtifact(trees.model().artifact()), trees.model().platt());
        assertEquals(trees.model().probability(holdout.get(0).features()), reread.probability(holdout.get(0).features()),
                1e-6);
        assertEquals(1.0, m.deciles().get(9).cumulativeGain(), 1e-12);
    }
}
