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
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.protos.core.ModelProto;

/**
 * A calibrated Tribuo classifier for one 0/1 outcome (logistic regression or XGBoost). Scores are
 * Platt-calibrated probabilities. Reason codes (logistic regression only): the features with the
 * largest positive contribution (w₁ⱼ − w₀ⱼ)·zⱼ to this prediction's log-odds (coefficient ×
 * standardised value), strongest first. XGBoost predictions carry no reason codes.
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

    public PropensityModel(String scoreName, Standardiser standardiser, Model<Label> model, PlattScaling platt) {
        this.scoreName = scoreName;
        this.standardiser = standardiser;
        this.model = model;
        this.platt = platt;
        this.names = standardiser.features().toArray(String[]::new);
        this.logOddsWeights = logOddsWeights(model, names);
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
        List<Integer> order = new ArrayList<>();
        for (int j = 0; j < z.length; j++) {
            if (logOddsWeights[j] * z[j] > 1e-9) {
                order.add(j);
            }
        }
        order.sort(Comparator.comparingDouble((Integer j) -> -logOddsWeights[j] * z[j]));
        return order.stream().limit(REASONS).map(j -> names[j]).toList();
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
