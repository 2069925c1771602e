package io.cohort.model.api;

import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.model.domain.ClusterScorer;
import io.cohort.model.domain.ModelFamilies;
import io.cohort.model.domain.SubscriberPredictor;
import io.cohort.model.domain.monitoring.DriftBaseline;
import io.cohort.model.persistence.FeatureSnapshot;
import io.cohort.model.persistence.FeatureSnapshotRepository;
import io.cohort.model.persistence.ServedPredictionRepository;
import io.cohort.model.messaging.FeatureServiceClient;
import io.cohort.model.domain.propensity.BinaryMetrics;
import io.cohort.model.domain.propensity.PropensityFamilies;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import io.cohort.model.persistence.ModelRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Drift of the active versions: PSI of every monitored feature and of every score between the
 * version's training rows (its stored baseline) and the subscribers' current feature vectors.
 * Computed on request and on a schedule ({@code cohort.model.monitoring.every}, default 1h), which
 * keeps the Prometheus gauges {@code cohort_model_feature_psi{family,feature}} and
 * {@code cohort_model_score_psi{family,score}} current.
 */
@ApplicationScoped
public class MonitoringService {

    private static final Logger LOG = Logger.getLogger(MonitoringService.class);
    /** The clustering's output, monitored like a score. */
    public static final String CLUSTER_SCORE = "cluster";
    private static final int READ_PAGE = 1000;

    private final ModelRegistry registry;
    private final FeatureSnapshotRepository snapshots;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, double[]> gauges = new ConcurrentHashMap<>();
    private final ServedPredictionRepository servedPredictions;
    private final FeatureServiceClient featureService;
    private final Map<String, Calibration> calibrations = new ConcurrentHashMap<>();

    public MonitoringService(ModelRegistry registry, FeatureSnapshotRepository snapshots, MeterRegistry meters,
            Clock clock, ServedPredictionRepository servedPredictions, FeatureServiceClient featureService) {
        this.servedPredictions = servedPredictions;
        this.featureService = featureService;
        this.registry = registry;
        this.snapshots = snapshots;
        this.meters = meters;
        this.clock = clock;
    }

    /** Features whose drift is watched for a snapshot-trained family. */
    public static List<String> monitoredFeatures(String family, List<Map<String, Double>> rows) {
        if (ModelFamilies.CLV_BTYD.equals(family)) {
            return List.of(FeatureNames.TENURE_DAYS, FeatureNames.ORDERS_365D, FeatureNames.DAYS_SINCE_LAST_ORDER,
                    FeatureNames.AVERAGE_ORDER_VALUE_365D);
        }
        if (ModelFamilies.SENDTIME.equals(family)) {
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        rows.forEach(row -> seen.addAll(row.keySet()));
        return FeatureNames.ALL.stream().filter(seen::contains).toList();
    }

    public record Drift(String name, double psi, String status) {
    }

    public record Report(String family, int version, Instant computedAt, int rows, double maxPsi, String status,
            List<Drift> features, List<Drift> scores, Map<String, Double> thresholds,
            @JsonInclude(JsonInclude.Include.NON_NULL) Calibration calibration) {
    }

    /**
     * Calibration of the active version's served scores against realised outcomes (propensity and
     * churn families only).
     *
     * @param status {@code measured}; {@code pending} (no score of this version was served before
     *               asOf, or none of those subscribers is in the outcome set); {@code unavailable}
     *               (feature-service could not be read: {@code detail})
     * @param asOf the latest day whose outcome window (asOf, asOf + horizon] has passed
     * @param rows subscribers with both a served score and an outcome
     * @param brier mean squared difference of served score and outcome
     * @param ece expected calibration error over 10 equal-width bins
     * @param meanScore mean served score
     * @param observedRate share of those subscribers with the outcome
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Calibration(String status, Instant asOf, int horizonDays, Integer rows, Double brier, Double ece,
            Double meanScore, Double observedRate, String detail) {

        static Calibration pending(Instant asOf, int horizonDays, String detail) {
            return new Calibration("pending", asOf, horizonDays, null, null, null, null, null, detail);
        }
    }

    /** The drift report with calibration against realised outcomes (asks feature-service for them). */
    public Report report(String family) {
        return report(family, true);
    }

    /** @param withCalibration false for the scheduled gauges: no feature-service request every hour */
    public Report report(String family, boolean withCalibration) {
        Optional<Integer> active = registry.activeVersion(family);
        if (active.isEmpty()) {
            throw new ProblemException(ProblemDetail.of(409, "No active model",
                    "Family '" + family + "' has no active version to monitor"));
        }
        int version = active.get();
        DriftBaseline baseline = registry.driftBaseline(family, version).orElseThrow(() -> new ProblemException(
                ProblemDetail.of(409, "No drift baseline",
                        "Version " + version + " of " + family + " was trained before drift baselines were kept")));
        List<Map<String, Double>> rows = allFeatures();
        SubscriberPredictor predictor;
        if (ModelFamilies.CLUSTERING_BEHAVIOURAL.equals(family)) {
            ClusterScorer scorer = registry.active(family).orElseThrow().scorer();
            predictor = features -> new SubscriberPredictor.Prediction(
                    Map.of(CLUSTER_SCORE, (double) scorer.assign(features).clusterId()), Map.of());
        } else {
            predictor = registry.predictor(family, version);
        }
        List<Drift> features = new ArrayList<>();
        baseline.features().forEach((feature, distribution) -> {
            double psi = DriftBaseline.psi(distribution,
                    DriftBaseline.values(rows, row -> {
                        Double v = row.get(feature);
                        return v == null || !Double.isFinite(v) ? Double.NaN : v;
                    }));
            features.add(new Drift(feature, psi, DriftBaseline.status(psi)));
            gauge("cohort.model.feature.psi", Tags.of("family", family, "feature", feature), psi);
        });
        Map<String, double[]> current = DriftBaseline.scores(rows, List.of(predictor));
        List<Drift> scores = new ArrayList<>();
        baseline.scores().forEach((score, distribution) -> {
            double psi = DriftBaseline.psi(distribution, current.getOrDefault(score, new double[0]));
            scores.add(new Drift(score, psi, DriftBaseline.status(psi)));
            gauge("cohort.model.score.psi", Tags.of("family", family, "score", score), psi);
        });
        double max = 0;
        for (Drift d : features) {
            max = Math.max(max, d.psi());
        }
        for (Drift d : scores) {
            max = Math.max(max, d.psi());
        }
        Calibration calibration = withCalibration ? PropensityFamilies.find(family)
                .map(definition -> calibration(definition, version)).orElse(null) : null;
        return new Report(family, version, clock.instant(), rows.size(), max, DriftBaseline.status(max), features,
                scores, Map.of("moderate", DriftBaseline.MODERATE, "major", DriftBaseline.MAJOR), calibration);
    }

    /**
     * The scores of {@code version} served before the latest day whose outcome window has passed,
     * against the outcomes feature-service's training set as of that day records. Measured once per
     * (version, day) and then remembered: neither the served scores nor the outcomes change afterwards.
     */
    Calibration calibration(PropensityFamilies.Definition definition, int version) {
        Instant asOf = clock.instant().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(definition.horizonDays()));
        String key = definition.family() + "#" + version + "#" + asOf;
        Calibration known = calibrations.get(key);
        if (known != null) {
            return known;
        }
        Map<String, Double> served = servedPredictions.servedBefore(definition.family(), version,
                LocalDate.ofInstant(asOf, ZoneOffset.UTC));
        if (served.isEmpty()) {
            return Calibration.pending(asOf, definition.horizonDays(), "no score of version " + version
                    + " was served before " + asOf);
        }
        Map<String, Integer> outcomes;
        try {
            outcomes = featureService.outcomes(asOf, definition.horizonDays(), definition.label());
        } catch (FeatureServiceClient.TrainingSetUnavailable e) {
            return new Calibration("unavailable", asOf, definition.horizonDays(), null, null, null, null, null,
                    e.getMessage());
        }
        List<Double> p = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        served.forEach((subscriber, score) -> {
            Integer outcome = outcomes.get(subscriber);
            if (outcome != null) {
                p.add(score);
                y.add(outcome);
            }
        });
        if (p.isEmpty()) {
            return Calibration.pending(asOf, definition.horizonDays(), "none of the " + served.size()
                    + " subscribers served before " + asOf + " is in the outcome set");
        }
        BinaryMetrics metrics = BinaryMetrics.of(p.stream().mapToDouble(Double::doubleValue).toArray(),
                y.stream().mapToInt(Integer::intValue).toArray());
        Calibration measured = new Calibration("measured", asOf, definition.horizonDays(), metrics.rows(),
                metrics.brier(), metrics.ece(), p.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                metrics.baseRate(), null);
        calibrations.put(key, measured);
        return measured;
    }

    @Scheduled(every = "{cohort.model.monitoring.every}", delayed = "{cohort.model.monitoring.delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void monitorAll() {
        for (String family : ModelFamilies.ALL) {
            try {
                if (registry.activeVersion(family).isPresent()) {
                    Report report = report(family, false);
                    if (!"stable".equals(report.status())) {
                        LOG.infof("drift on %s version %d: max PSI %.3f (%s)", family, report.version(),
                                report.maxPsi(), report.status());
                    }
                }
            } catch (ProblemException e) {
                // no baseline for an old version: nothing to watch
            } catch (RuntimeException e) {
                LOG.warnf("monitoring %s failed: %s", family, e.getMessage());
            }
        }
    }

    private void gauge(String name, Tags tags, double value) {
        double[] holder = gauges.computeIfAbsent(name + tags, k -> {
            double[] fresh = new double[1];
            meters.gauge(name, tags, fresh, h -> h[0]);
            return fresh;
        });
        holder[0] = value;
    }

    private List<Map<String, Double>> allFeatures() {
        List<Map<String, Double>> rows = new ArrayList<>();
        String after = null;
        while (true) {
            List<FeatureSnapshot> page = snapshots.page(after, READ_PAGE);
            if (page.isEmpty()) {
                return rows;
            }
            page.forEach(snapshot -> rows.add(snapshot.features()));
            after = page.get(page.size() - 1).subscriberId();
        }
    }
}
