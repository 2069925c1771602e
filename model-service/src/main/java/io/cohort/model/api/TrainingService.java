package io.cohort.model.api;

import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.model.domain.ClusterProfile;
import io.cohort.model.domain.ClusteringTrainer;
import io.cohort.model.domain.ModelFamilies;
import io.cohort.model.domain.TrainedModel;
import io.cohort.model.domain.ClusterScorer;
import io.cohort.model.domain.SubscriberPredictor;
import io.cohort.model.domain.monitoring.DriftBaseline;
import io.cohort.model.domain.TrainingOutcome;
import io.cohort.model.domain.clv.ClvModel;
import io.cohort.model.domain.clv.ClvTrainer;
import io.cohort.model.domain.Hyperparameters;
import io.cohort.model.domain.retrain.RetrainComparison;
import io.cohort.model.domain.sendtime.SendTimeModel;
import io.cohort.model.persistence.ModelVersionRepository;
import io.cohort.model.domain.sendtime.SendTimeTrainer;
import io.cohort.model.persistence.GenericVersion;
import io.cohort.model.messaging.ScoringService;
import io.cohort.model.persistence.FeatureSnapshot;
import io.cohort.model.persistence.FeatureSnapshotRepository;
import io.cohort.model.persistence.ModelRegistry;
import io.cohort.model.persistence.StoredVersion;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Trains a new clustering version on every stored snapshot, registers it as active (retiring the
 * previous one) and rescores every subscriber with it. Synchronous; one training at a time per
 * process (version numbers stay unique across processes through the registry's lock).
 */
@ApplicationScoped
public class TrainingService {

    private static final Logger LOG = Logger.getLogger(TrainingService.class);
    private static final int READ_PAGE = 1000;

    private final FeatureSnapshotRepository snapshots;
    private final ModelRegistry registry;
    private final ScoringService scoring;
    private final Clock clock;
    private final Timer trainingTime;
    private final ClusteringTrainer trainer = new ClusteringTrainer();
    private final ClvTrainer clvTrainer = new ClvTrainer();
    private final MeterRegistry meters;

    public TrainingService(FeatureSnapshotRepository snapshots, ModelRegistry registry, ScoringService scoring,
            Clock clock, MeterRegistry meters) {
        this.snapshots = snapshots;
        this.registry = registry;
        this.scoring = scoring;
        this.clock = clock;
        this.meters = meters;
        this.trainingTime = meters.timer("cohort.model.training", "family", ModelFamilies.CLUSTERING_BEHAVIOURAL);
    }

    public synchronized StoredVersion train(String family, TrainRequest request) {
        if (!ModelFamilies.isKnown(family)) {
            throw ProblemException.unknownFamily(family);
        }
        Integer k = request == null ? null : request.k();
        long seed = request == null || request.seed() == null ? ClusteringTrainer.DEFAULT_SEED : request.seed();
        validate(request);
        boolean hdbscan = request != null && ClusteringTrainer.HDBSCAN.equals(request.algorithm());
        List<Map<String, Double>> rows = allFeatures();
        int required = hdbscan
                ? ClusteringTrainer.requiredRowsHdbscan(request.minClusterSize() != null ? request.minClusterSize()
                        : ClusteringTrainer.defaultMinClusterSize(rows.size()))
                : ClusteringTrainer.requiredRows(k);
        if (rows.size() < required) {
            throw new ProblemException(ProblemDetail.of(409, "not enough subscribers to train",
                    "not enough subscribers to train: need feature vectors of at least " + required
                            + " subscribers, have " + rows.size()));
        }
        Timer.Sample sample = Timer.start();
        List<ClusterProfile> previous = registry.active(family)
                .flatMap(active -> registry.find(family, active.version()))
                .map(StoredVersion::clusters).orElse(List.of());
        TrainingOutcome fresh;
        try {
            fresh = hdbscan ? trainer.trainHdbscan(rows, request.minClusterSize(), request.minSamples(), seed)
                    : trainer.train(rows, k, seed);
        } catch (ClusteringTrainer.NoClusters e) {
            throw new ProblemException(ProblemDetail.of(409, "no clusters found", e.getMessage()));
        }
        TrainingOutcome outcome = fresh.withStableIds(previous);
        StoredVersion stored = registry.registerActive(family, outcome, outcome.model().getProvenance().toString(),
                clock.instant());
        saveClusteringBaseline(family, stored.version(), rows, outcome);
        sample.stop(trainingTime);
        int published = scoring.rescoreAll(family, stored.version());
        LOG.infof("trained %s version %d (%s) on %d subscribers (k=%d, silhouette=%.3f, noise=%s); published %d"
                + " assignments", family, stored.version(), outcome.hyperparameters().algorithm(), rows.size(),
                outcome.metrics().k(), outcome.metrics().silhouette(), outcome.metrics().noiseRows(), published);
        return stored;
    }

    /**
     * 400 when the clustering request is invalid: k out of range, an unknown algorithm, or a setting
     * of the other algorithm (k with HDBSCAN, minClusterSize with K-Means).
     */
    public void validate(TrainRequest request) {
        if (request == null) {
            return;
        }
        List<FieldViolation> errors = new ArrayList<>();
        Integer k = request.k();
        String algorithm = request.algorithmOrDefault();
        if (!ClusteringTrainer.ALGORITHMS.contains(algorithm)) {
            errors.add(new FieldViolation("/algorithm", "must be one of " + ClusteringTrainer.ALGORITHMS));
        }
        if (k != null && (k < ClusteringTrainer.MIN_K || k > ClusteringTrainer.MAX_K)) {
            errors.add(new FieldViolation("/k",
                    "must be between " + ClusteringTrainer.MIN_K + " and " + ClusteringTrainer.MAX_K));
        } else if (k != null && ClusteringTrainer.HDBSCAN.equals(algorithm)) {
            errors.add(new FieldViolation("/k", "HDBSCAN finds the number of clusters itself; use minClusterSize"));
        }
        Integer size = request.minClusterSize();
        if (size != null && (size < ClusteringTrainer.MIN_CLUSTER_SIZE || size > ClusteringTrainer.MAX_CLUSTER_SIZE)) {
            errors.add(new FieldViolation("/minClusterSize", "must be between " + ClusteringTrainer.MIN_CLUSTER_SIZE
                    + " and " + ClusteringTrainer.MAX_CLUSTER_SIZE));
        } else if (size != null && ClusteringTrainer.KMEANS.equals(algorithm)) {
            errors.add(new FieldViolation("/minClusterSize", "applies to algorithm hdbscan only"));
        }
        Integer samples = request.minSamples();
        if (samples != null && (samples < ClusteringTrainer.MIN_MIN_SAMPLES || samples > ClusteringTrainer.MAX_MIN_SAMPLES)) {
            errors.add(new FieldViolation("/minSamples", "must be between " + ClusteringTrainer.MIN_MIN_SAMPLES
                    + " and " + ClusteringTrainer.MAX_MIN_SAMPLES));
        } else if (samples != null && ClusteringTrainer.KMEANS.equals(algorithm)) {
            errors.add(new FieldViolation("/minSamples", "applies to algorithm hdbscan only"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationFailedException("The training request is invalid", errors);
        }
    }

    private void saveClusteringBaseline(String family, int version, List<Map<String, Double>> rows,
            TrainingOutcome outcome) {
        ClusterScorer scorer = outcome.scorer();
        registry.saveDriftBaseline(family, version, DriftBaseline.fit(rows, outcome.preprocessing().features(),
                List.of(features -> new SubscriberPredictor.Prediction(
                        Map.of(MonitoringService.CLUSTER_SCORE, (double) scorer.assign(features).clusterId()), Map.of()))));
    }

    private TrainedModel fitSnapshotFamily(String family, List<Map<String, Double>> rows) {
        try {
            return switch (family) {
                case ModelFamilies.CLV_BTYD -> clvTrainer.train(rows, clock.instant());
                case ModelFamilies.SENDTIME -> new SendTimeTrainer().train(rows, clock.instant());
                default -> throw ProblemException.unknownFamily(family);
            };
        } catch (ClvTrainer.NotEnoughData | SendTimeTrainer.NoHistory e) {
            throw new ProblemException(ProblemDetail.of(409, "not enough subscribers to train", e.getMessage()));
        }
    }

    /** What a scheduled retrain did: the candidate's version, whether it became active, and the comparison. */
    public record Retrain(String family, int version, boolean activated, RetrainComparison comparison) {

        public String stage() {
            String numbers = String.format(java.util.Locale.ROOT, "%s %.6f vs active %.6f", comparison.metric(),
                    comparison.candidate(), comparison.active());
            return activated ? "activated: " + numbers : "kept as candidate: does not beat the active version ("
                    + numbers + ")";
        }
    }

    /**
     * Scheduled retrain of a family trained on snapshots (clustering, clv.btyd, sendtime): trains on
     * every current snapshot with the active version's settings, registers a <em>candidate</em>, and
     * activates it (then rescores everyone) only when it beats the active version on the same rows
     * ({@link RetrainComparison}). 409 without an active version.
     */
    public Retrain retrainCandidate(String family) {
        Retrain result;
        synchronized (this) {
            int active = registry.activeVersion(family).orElseThrow(() -> new ProblemException(ProblemDetail.of(409,
                    "No active model", "Family '" + family + "' has no active version to compare a candidate with")));
            List<Map<String, Double>> rows = allFeatures();
            result = ModelFamilies.CLUSTERING_BEHAVIOURAL.equals(family)
                    ? retrainClustering(family, active, rows) : retrainSnapshotFamily(family, active, rows);
        }
        if (result.activated()) {
            scoring.rescoreAll(family, result.version());
        }
        LOG.infof("scheduled retrain of %s: version %d %s", family, result.version(), result.stage());
        return result;
    }

    private Retrain retrainClustering(String family, int activeVersion, List<Map<String, Double>> rows) {
        StoredVersion active = registry.find(family, activeVersion).orElseThrow();
        Hyperparameters settings = active.hyperparameters();
        TrainingOutcome fresh;
        try {
            fresh = ClusteringTrainer.HDBSCAN.equals(settings.algorithm())
                    ? trainer.trainHdbscan(rows, settings.minClusterSize(), settings.minSamples(), settings.seed())
                    : trainer.train(rows, "requested".equals(settings.kSelection()) ? settings.k() : null,
                            settings.seed());
        } catch (ClusteringTrainer.NoClusters | IllegalArgumentException e) {
            throw new ProblemException(ProblemDetail.of(409, "not enough subscribers to train", e.getMessage()));
        }
        TrainingOutcome outcome = fresh.withStableIds(active.clusters());
        RetrainComparison comparison = RetrainComparison.clustering(rows, outcome.preprocessing(), outcome.scorer(),
                registry.clustering(family, activeVersion).scorer(), ClusteringTrainer.SILHOUETTE_SAMPLE,
                settings.seed());
        boolean activate = comparison.candidateWins();
        StoredVersion stored = registry.register(family, outcome, outcome.model().getProvenance().toString(),
                activate ? ModelVersionRepository.ACTIVE : ModelVersionRepository.CANDIDATE, clock.instant());
        saveClusteringBaseline(family, stored.version(), rows, outcome);
        return new Retrain(family, stored.version(), activate, comparison);
    }

    private Retrain retrainSnapshotFamily(String family, int activeVersion, List<Map<String, Double>> rows) {
        SubscriberPredictor active = registry.predictor(family, activeVersion);
        TrainedModel trained = fitSnapshotFamily(family, rows);
        RetrainComparison comparison = ModelFamilies.CLV_BTYD.equals(family)
                ? RetrainComparison.clv(rows, (ClvModel) trained.predictor(), (ClvModel) active)
                : RetrainComparison.sendTime(rows, (SendTimeModel) trained.predictor(), (SendTimeModel) active);
        boolean activate = comparison.candidateWins();
        GenericVersion stored = registry.register(family, trained,
                activate ? ModelVersionRepository.ACTIVE : ModelVersionRepository.CANDIDATE, clock.instant());
        registry.saveDriftBaseline(family, stored.version(), DriftBaseline.fit(rows,
                MonitoringService.monitoredFeatures(family, rows), List.of(trained.predictor())));
        return new Retrain(family, stored.version(), activate, comparison);
    }

    /** Fits a snapshot family (clv.btyd, sendtime) on every stored snapshot, activates it and rescores. */
    public synchronized GenericVersion trainOnSnapshots(String family) {
        List<Map<String, Double>> rows = allFeatures();
        Timer.Sample sample = Timer.start();
        TrainedModel trained = fitSnapshotFamily(family, rows);
        GenericVersion stored = registry.registerActive(family, trained, clock.instant());
        registry.saveDriftBaseline(family, stored.version(), DriftBaseline.fit(rows,
                MonitoringService.monitoredFeatures(family, rows), List.of(trained.predictor())));
        sample.stop(meters.timer("cohort.model.training", "family", family));
        int published = scoring.rescoreAll(family, stored.version());
        LOG.infof("trained %s version %d on %d subscribers; published %d records", family,
                stored.version(), trained.rows(), published);
        return stored;
    }

    /** Activates a stored version of any family and rescores every subscriber with it. */
    public void activate(String family, int version) {
        synchronized (this) {
            if (!registry.activate(family, version)) {
                throw ProblemException.unknownVersion(family, version);
            }
        }
        int published = scoring.rescoreAll(family, version);
        LOG.infof("activated %s version %d; published %d records", family, version, published);
    }

    /** Renames a cluster; when its version is active, every subscriber is republished with the new name. */
    public void renameCluster(String family, int version, int clusterId, String name) {
        if (!registry.renameCluster(family, version, clusterId, name, clock.instant())) {
            throw new ProblemException(ProblemDetail.of(404, "Unknown cluster",
                    "Version " + version + " of " + family + " has no cluster " + clusterId));
        }
        if (registry.activeVersion(family).filter(v -> v == version).isPresent()) {
            scoring.rescoreAll(family, version, true, done -> {
            });
        }
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
