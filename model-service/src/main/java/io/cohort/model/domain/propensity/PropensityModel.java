package io.cohort.model.domain.propensity;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cohort.model.domain.SubscriberPredictor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.common.xgboost.XGBoostModel;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.protos.core.ModelProto;

/**
 * A calibrated Tribuo classifier for one 0/1 outcome (logistic regression or XGBoost). Scores are
 * Platt-calibrated probabilities. Reason codes: the features with the largest positive
 * contribution to this prediction's log-odds of outcome 1, strongest first (at most
 * {@value #REASONS}; features that push the score down are never reasons).
 * <ul>
 *   <li>Logistic regression: (w₁ⱼ − w₀ⱼ)·zⱼ, coefficient × standardised value.</li>
 *   <li>XGBoost: the TreeSHAP contributions XGBoost computes per prediction
 *       ({@code Booster.predictContrib} on the booster inside Tribuo's {@link XGBoostModel}; Tribuo
 *       itself exposes only global importances). Tribuo trains {@code multi:softprob} with one
 *       margin per class, and log-odds(1) = margin₁ − margin₀, so a feature's contribution is its
 *       SHAP value for class 1 minus that for class 0; the contributions and the two biases add up
 *       to the model's log-odds exactly.</li>
 * </ul>
 * Platt scaling is monotone, so the reasons of the raw model are the reasons of the calibrated score.
 */
public final class PropensityModel implements SubscriberPredictor {

    public static final String POSITIVE = "1";
    public static final String NEGATIVE = "0";
    public static final int REASONS = 3;

    private final String scoreName;
    private final Standardiser standardiser;
    private final Model<Label> model;
    private final PlattScaling platt;
    private final double[] logOddsWeights;
    private final String[] names;
    /** XGBoost only: the booster and each name's column in it (-1 when the model never saw the feature). */
    private final Booster booster;
    private final int[] columns;
    private final int classes;
    private final int positive;
    private final int negative;

    public PropensityModel(String scoreName, Standardiser standardiser, Model<Label> model, PlattScaling platt) {
        this.scoreName = scoreName;
        this.standardiser = standardiser;
        this.model = model;
        this.platt = platt;
        this.names = standardiser.features().toArray(String[]::new);
        this.logOddsWeights = logOddsWeights(model, names);
        this.booster = model instanceof XGBoostModel<Label> xgboost && xgboost.getInnerModels().size() == 1
                ? xgboost.getInnerModels().get(0) : null;
        this.columns = new int[names.length];
        for (int j = 0; j < names.length; j++) {
            columns[j] = model.getFeatureIDMap().getID(names[j]);
        }
        this.classes = model.getOutputIDInfo().size();
        this.positive = model.getOutputIDInfo().getID(new Label(POSITIVE));
        this.negative = model.getOutputIDInfo().getID(new Label(NEGATIVE));
    }

    /** (w₁ − w₀) per feature in {@link Standardiser#features()} order, 0 for a feature the model never saw. */
    static double[] logOddsWeights(Model<Label> model, String[] names) {
        double[] weights = new double[names.length];
        if (!(model instanceof LinearSGDModel linear)) {
            return weights;
        }
        DenseMatrix w = linear.getWeightsCopy();
        int pos = model.getOutputIDInfo().getID(new Label(POSITIVE));
        int neg = model.getOutputIDInfo().getID(new Label(NEGATIVE));
        if (pos < 0 || neg < 0) {
            return weights;
        }
        for (int j = 0; j < names.length; j++) {
            int id = model.getFeatureIDMap().getID(names[j]);
            if (id >= 0) {
                weights[j] = w.get(pos, id) - w.get(neg, id);
            }
        }
        return weights;
    }

    public String scoreName() {
        return scoreName;
    }

    public Standardiser standardiser() {
        return standardiser;
    }

    public PlattScaling platt() {
        return platt;
    }

    public Model<Label> tribuoModel() {
        return model;
    }

    /** Per-feature log-odds weights on the standardised inputs. */
    public double[] coefficients() {
        return logOddsWeights.clone();
    }

    /** The model's own (uncalibrated) probability of outcome 1 for standardised inputs. */
    public double rawProbability(double[] z) {
        var prediction = model.predict(new ArrayExample<>(new Label(POSITIVE), names, z));
        Label positive = prediction.getOutputScores().get(POSITIVE);
        return positive == null ? 0 : positive.getScore();
    }

    public double probability(Map<String, Double> features) {
        return platt.apply(PlattScaling.logOdds(rawProbability(standardiser.transform(features))));
    }

    @Override
    public Prediction predict(Map<String, Double> features) {
        double[] z = standardiser.transform(features);
        double p = platt.apply(PlattScaling.logOdds(rawProbability(z)));
        List<String> reasons = reasons(z);
        return new Prediction(Map.of(scoreName, p), reasons.isEmpty() ? Map.of() : Map.of(scoreName, reasons));
    }

    List<String> reasons(double[] z) {
        double[] contributions = contributions(z);
        if (contributions == null) {
            return List.of();
        }
        List<Integer> order = new ArrayList<>();
        for (int j = 0; j < z.length; j++) {
            if (contributions[j] > 1e-9) {
                order.add(j);
            }
        }
        order.sort(Comparator.comparingDouble((Integer j) -> -contributions[j]).thenComparingInt(j -> j));
        return order.stream().limit(REASONS).map(j -> names[j]).toList();
    }

    /**
     * Each feature's additive contribution to the raw model's log-odds of outcome 1 for the
     * standardised inputs {@code z}, in {@link Standardiser#features()} order; null when the model
     * cannot say (neither linear nor a single-booster XGBoost model).
     */
    public double[] contributions(double[] z) {
        if (model instanceof LinearSGDModel) {
            double[] contributions = new double[z.length];
            for (int j = 0; j < z.length; j++) {
                contributions[j] = logOddsWeights[j] * z[j];
            }
            return contributions;
        }
        if (booster == null || positive < 0 || negative < 0) {
            return null;
        }
        float[] margins = treeShap(z);
        int width = margins.length / classes;
        double[] contributions = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            if (columns[j] >= 0) {
                contributions[j] = margins[positive * width + columns[j]] - margins[negative * width + columns[j]];
            }
        }
        return contributions;
    }

    /** XGBoost only: the log-odds the bias terms give before any feature (class 1 bias − class 0 bias). */
    double shapBias(double[] z) {
        float[] margins = treeShap(z);
        int width = margins.length / classes;
        return margins[positive * width + width - 1] - margins[negative * width + width - 1];
    }

    /**
     * XGBoost's SHAP values for one row: per class, one value per booster column and the bias last.
     * The row is built the way Tribuo feeds XGBoost (CSR, one entry per known feature, as many
     * columns as the model's feature map), so the booster sees exactly what prediction saw.
     */
    private float[] treeShap(double[] z) {
        int known = 0;
        for (int column : columns) {
            known += column >= 0 ? 1 : 0;
        }
        int[] indices = new int[known];
        float[] values = new float[known];
        int next = 0;
        Integer[] order = new Integer[columns.length];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        // CSR wants ascending column indices within a row
        java.util.Arrays.sort(order, Comparator.comparingInt(j -> columns[j]));
        for (int j : order) {
            if (columns[j] >= 0) {
                indices[next] = columns[j];
                values[next] = (float) z[j];
                next++;
            }
        }
        DMatrix row = null;
        try {
            row = new DMatrix(new long[] {0, known}, indices, values, DMatrix.SparseType.CSR,
                    model.getFeatureIDMap().size());
            float[][] shap;
            // one booster is shared by every scoring thread; XGBoost's C API is not promised re-entrant here
            synchronized (booster) {
                shap = booster.predictContrib(row, 0);
            }
            return shap[0];
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost could not explain a prediction", e);
        } finally {
            if (row != null) {
                row.dispose();
            }
        }
    }

    public byte[] artifact() {
        return model.serialize().toByteArray();
    }

    public static Model<Label> readArtifact(byte[] bytes) {
        try {
            Model<?> model = Model.deserialize(ModelProto.parseFrom(bytes));
            if (!model.validate(Label.class)) {
                throw new IllegalArgumentException("the stored model is not a classification model");
            }
            return model.castModel(Label.class);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("the stored model is not a readable Tribuo protobuf", e);
        }
    }
}
