package io.cohort.model.api;

import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.model.domain.ClusterScorer;
import io.cohort.model.domain.ModelFamilies;
import io.cohort.model.domain.SubscriberPredictor;
import io.cohort.model.domain.monitoring.DriftBaseline;
import io.cohort.model.persistence.FeatureSnapshot;
import io.cohort.model.persistence.FeatureSnapshotRepository;
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

    public MonitoringService(ModelRegistry registry, FeatureSnapshotRepository snapshots, MeterRegistry meters,
            Clock clock) {
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
            List<Drift> features, List<Drift> scores, Map<String, Double> thresholds) {
    }

    public Report report(String family) {
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
        return new Report(family, version, clock.instant(), rows.size(), max, DriftBaseline.status(max), features,
                scores, Map.of("moderate", DriftBaseline.MODERATE, "major", DriftBaseline.MAJOR));
    }

    @Scheduled(every = "{cohort.model.monitoring.every}", delayed = "{cohort.model.monitoring.delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void monitorAll() {
        for (String family : ModelFamilies.ALL) {
            try {
                if (registry.activeVersion(family).isPresent()) {
                    Report report = report(family);
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
