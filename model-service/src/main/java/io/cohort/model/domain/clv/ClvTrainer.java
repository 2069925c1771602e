package io.cohort.model.domain.clv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.model.domain.TrainedModel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Fits family {@code clv.btyd} (BG/NBD + Gamma-Gamma) on subscribers' current feature vectors. */
public final class ClvTrainer {

    /** Fewer subscribers than this (with tenure) cannot support a 4-parameter fit. */
    public static final int MIN_SUBSCRIBERS = 10;
    /** Fewer subscribers with a positive order value than this cannot support the 3-parameter Gamma-Gamma. */
    public static final int MIN_BUYERS = 5;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why training cannot run. */
    public static final class NotEnoughData extends RuntimeException {
        public NotEnoughData(String message) {
            super(message);
        }
    }

    public record Metrics(int rows, int buyers, double bgNbdLogLikelihood, double gammaGammaLogLikelihood,
            double meanPAlive, double meanExpectedOrders90d, double meanValue365d) {
    }

    public record Profile(Map<String, Double> bgNbd, Map<String, Double> gammaGamma, double fallbackOrderValue) {
    }

    public record Hyperparameters(String timeUnit, int windowDays, int ordersHorizonDays, int valueHorizonDays,
            String estimator) {
    }

    public TrainedModel train(List<Map<String, Double>> rows, Instant trainedAt) {
        List<ClvModel.Inputs> inputs = rows.stream().map(ClvModel::inputs).flatMap(Optional::stream).toList();
        List<BgNbd.Customer> customers = inputs.stream().map(ClvModel.Inputs::customer).toList();
        List<GammaGamma.Customer> buyers = new ArrayList<>();
        for (ClvModel.Inputs in : inputs) {
            if (in.customer().x() > 0 && in.meanOrderValue() > 0) {
                buyers.add(new GammaGamma.Customer(in.customer().x(), in.meanOrderValue()));
            }
        }
        if (customers.size() < MIN_SUBSCRIBERS) {
            throw new NotEnoughData("need at least " + MIN_SUBSCRIBERS + " subscribers with tenure_days, have "
                    + customers.size());
        }
        if (buyers.size() < MIN_BUYERS) {
            throw new NotEnoughData("need at least " + MIN_BUYERS
                    + " subscribers with orders and a positive order value, have " + buyers.size());
        }
        BgNbd.Fit bg = BgNbd.fit(customers);
        GammaGamma.Fit gg = GammaGamma.fit(buyers);
        double fallback = gg.model().q() > 1 ? gg.model().populationMeanValue()
                : buyers.stream().mapToDouble(GammaGamma.Customer::meanValue).average().orElse(0);
        ClvModel model = new ClvModel(bg.model(), gg.model(), fallback);

        double pAlive = 0;
        double orders = 0;
        double value = 0;
        for (Map<String, Double> row : rows) {
            Map<String, Double> scores = model.predict(row).scores();
            pAlive += scores.getOrDefault(io.cohort.contracts.ScoreNames.P_ALIVE, 0.0);
            orders += scores.getOrDefault(io.cohort.contracts.ScoreNames.EXPECTED_ORDERS_90D, 0.0);
            value += scores.getOrDefault(io.cohort.contracts.ScoreNames.CLV_365D, 0.0);
        }
        int n = customers.size();
        Metrics metrics = new Metrics(n, buyers.size(), bg.logLikelihood(), gg.logLikelihood(), pAlive / n,
                orders / n, value / n);
        Map<String, Double> bgParams = new LinkedHashMap<>();
        bgParams.put("r", bg.model().r());
        bgParams.put("alpha", bg.model().alpha());
        bgParams.put("a", bg.model().a());
        bgParams.put("b", bg.model().b());
        Map<String, Double> ggParams = new LinkedHashMap<>();
        ggParams.put("p", gg.model().p());
        ggParams.put("q", gg.model().q());
        ggParams.put("gamma", gg.model().gamma());
        Profile profile = new Profile(bgParams, ggParams, fallback);
        Hyperparameters hyper = new Hyperparameters("day", ClvModel.WINDOW_DAYS, ClvModel.ORDERS_HORIZON_DAYS,
                ClvModel.VALUE_HORIZON_DAYS, "maximum likelihood, Hipparchus Nelder-Mead over log-parameters");
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("model", ClvModel.class.getName());
        provenance.put("bgNbd", "Fader, Hardie & Lee (2005), Marketing Science 24(2), eq. 6 likelihood");
        provenance.put("gammaGamma", "Fader & Hardie, note 025, The Gamma-Gamma Model of Monetary Value");
        provenance.put("optimiser", "org.hipparchus.optim.nonlinear.scalar.noderiv.SimplexOptimizer + NelderMeadSimplex");
        provenance.put("optimiserLibrary", "hipparchus-optim "
                + Optional.ofNullable(org.hipparchus.optim.PointValuePair.class.getPackage().getImplementationVersion())
                        .orElse("3.1"));
        provenance.put("trainedAt", trainedAt.toString());
        provenance.put("rows", n);
        provenance.put("buyers", buyers.size());
        provenance.put("features", List.of("tenure_days", "rfm_frequency|orders_365d",
                "rfm_recency_days|days_since_last_order", "average_order_value_365d|revenue_365d/orders_365d"));
        return new TrainedModel(n, hyper, metrics, Map.of("timeUnit", "day", "windowDays", ClvModel.WINDOW_DAYS),
                profile, write(provenance), write(model).getBytes(StandardCharsets.UTF_8), model);
    }

    public static ClvModel load(byte[] artifact) {
        try {
            return JSON.readValue(artifact, ClvModel.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored clv.btyd artifact is not readable", e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
