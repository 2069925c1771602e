package io.cohort.model.domain.propensity;

import io.cohort.model.domain.SubscriberPredictor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains a calibrated logistic regression (Tribuo {@link LinearSGDTrainer} with the logistic loss
 * and AdaGrad) for one 0/1 outcome. The training rows are split in order: the first
 * {@code 1 − calibrationShare} fit the standardiser and the model, the rest fit the Platt
 * scaling; the holdout rows (never seen by either) give the metrics. Callers pass rows in time
 * order (or shuffled, for data without time) so "in order" is a time-based split.
 */
public final class PropensityTrainer {

    public static final LabelFactory LABELS = new LabelFactory();

    /**
     * @param scoreName the name the score is published under
     * @param features model inputs, in order
     * @param epochs SGD passes over the training rows
     * @param learningRate AdaGrad initial learning rate
     * @param minibatch SGD minibatch size
     * @param calibrationShare share of the training rows kept apart for Platt scaling
     * @param seed SGD shuffling seed
     * @param algorithm {@link #LOGISTIC} or {@link #XGBOOST}
     */
    public record Spec(String scoreName, List<String> features, int epochs, double learningRate, int minibatch,
            double calibrationShare, long seed, String algorithm) {

        public static Spec defaults(String scoreName, List<String> features) {
            return new Spec(scoreName, features, 10, 0.1, 16, 0.2, 42, LOGISTIC);
        }

        public Spec withAlgorithm(String name) {
            return new Spec(scoreName, features, epochs, learningRate, minibatch, calibrationShare, seed, name);
        }
    }

    /** Tribuo logistic regression (SGD); reason codes from its coefficients. */
    public static final String LOGISTIC = "logistic";
    /** Tribuo XGBoost gradient-boosted trees ({@value #XGBOOST_TREES} trees, depth 6, eta 0.3); no reason codes. */
    public static final String XGBOOST = "xgboost";
    public static final int XGBOOST_TREES = 50;
    public static final List<String> ALGORITHMS = List.of(LOGISTIC, XGBOOST);

    /** The trained model with its holdout metrics (calibrated and as the raw model said). */
    public record Outcome(PropensityModel model, BinaryMetrics holdout, double uncalibratedEce,
            double uncalibratedLogLoss, int trainRows, int calibrationRows) {
    }

    public Outcome train(List<LabelledRow> training, List<LabelledRow> holdout, Spec spec) {
        int calibrationRows = (int) Math.round(training.size() * spec.calibrationShare());
        int fitRows = training.size() - calibrationRows;
        if (fitRows < 2 || holdout.isEmpty()) {
            throw new IllegalArgumentException("need training and holdout rows");
        }
        List<LabelledRow> fit = training.subList(0, fitRows);
        List<LabelledRow> calibration = training.subList(fitRows, training.size());
        requireBothOutcomes(fit, "training");
        requireBothOutcomes(holdout, "holdout");

        Standardiser standardiser = Standardiser.fit(fit.stream().map(LabelledRow::features).toList(),
                spec.features());
        String[] names = spec.features().toArray(String[]::new);
        MutableDataset<Label> dataset = new MutableDataset<>(
                new SimpleDataSourceProvenance("cohort point-in-time training set (" + spec.scoreName() + ")", LABELS),
                LABELS);
        for (LabelledRow row : fit) {
            dataset.add(new ArrayExample<>(label(row.outcome()), names, standardiser.transform(row.features())));
        }
        Model<Label> model;
        if (XGBOOST.equals(spec.algorithm())) {
            model = new XGBoostClassificationTrainer(XGBOOST_TREES).train(dataset);
        } else {
            LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(),
                    new AdaGrad(spec.learningRate(), 0.1), spec.epochs(), Integer.MAX_VALUE, spec.minibatch(),
                    spec.seed());
            model = trainer.train(dataset);
        }
        PropensityModel uncalibrated = new PropensityModel(spec.scoreName(), standardiser, model, PlattScaling.IDENTITY);

        PlattScaling platt = PlattScaling.IDENTITY;
        if (!calibration.isEmpty() && hasBothOutcomes(calibration)) {
            double[] logOdds = new double[calibration.size()];
            int[] y = new int[calibration.size()];
            for (int i = 0; i < calibration.size(); i++) {
                logOdds[i] = PlattScaling.logOdds(uncalibrated.probability(calibration.get(i).features()));
                y[i] = calibration.get(i).outcome();
            }
            platt = PlattScaling.fit(logOdds, y);
        }
        PropensityModel calibrated = new PropensityModel(spec.scoreName(), standardiser, model, platt);

        double[] raw = new double[holdout.size()];
        double[] p = new double[holdout.size()];
        int[] y = new int[holdout.size()];
        for (int i = 0; i < holdout.size(); i++) {
            raw[i] = uncalibrated.probability(holdout.get(i).features());
            p[i] = platt.apply(PlattScaling.logOdds(raw[i]));
            y[i] = holdout.get(i).outcome();
        }
        BinaryMetrics rawMetrics = BinaryMetrics.of(raw, y);
        return new Outcome(calibrated, BinaryMetrics.of(p, y), rawMetrics.ece(), rawMetrics.logLoss(), fitRows,
                calibration.size());
    }

    /** Holdout metrics of any predictor that publishes {@code scoreName} (e.g. a baseline). */
    public static BinaryMetrics evaluate(SubscriberPredictor predictor, String scoreName, List<LabelledRow> holdout) {
        double[] p = new double[holdout.size()];
        int[] y = new int[holdout.size()];
        for (int i = 0; i < holdout.size(); i++) {
            p[i] = predictor.predict(holdout.get(i).features()).scores().get(scoreName);
            y[i] = holdout.get(i).outcome();
        }
        return BinaryMetrics.of(p, y);
    }

    private static Label label(int outcome) {
        return new Label(outcome == 1 ? PropensityModel.POSITIVE : PropensityModel.NEGATIVE);
    }

    private static boolean hasBothOutcomes(List<LabelledRow> rows) {
        boolean zero = false;
        boolean one = false;
        for (LabelledRow row : rows) {
            zero |= row.outcome() == 0;
            one |= row.outcome() == 1;
        }
        return zero && one;
    }

    private static void requireBothOutcomes(List<LabelledRow> rows, String what) {
        if (!hasBothOutcomes(rows)) {
            throw new NotEnoughOutcomes("the " + what + " rows need both outcomes (0 and 1)");
        }
    }

    /** The rows cannot train or evaluate a model (one outcome only). */
    public static final class NotEnoughOutcomes extends RuntimeException {
        public NotEnoughOutcomes(String message) {
            super(message);
        }
    }

    /** Convenience for tests and tools: rows of plain maps. */
    public static List<LabelledRow> rows(List<Map<String, Double>> features, int[] outcomes) {
        List<LabelledRow> rows = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            rows.add(new LabelledRow(features.get(i), outcomes[i]));
        }
        return rows;
    }
}
