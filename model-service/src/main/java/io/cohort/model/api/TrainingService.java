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
import io.cohort.model.domain.retrain.ActivationDecision;
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
import java.util.Optional;
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

    /**
     * Trains a clustering version on every snapshot as asked. It becomes active (and everyone is
     * rescored) when it is the family's first version or beats the active one on the same rows
     * ({@link ActivationDecision}); otherwise it stays a candidate until {@code :activate}.
     */
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
        TrainingOutcome fresh;
        try {
            fresh = hdbscan ? trainer.trainHdbscan(rows, request.minClusterSize(), request.minSamples(), seed)
                    : trainer.train(rows, k, seed);
        } catch (ClusteringTrainer.NoClusters e) {
            throw new ProblemException(ProblemDetail.of(409, "no clusters found", e.getMessage()));
        }
        StoredVersion stored = registerClustering(family, rows, fresh, seed, request == null || request.autoActivateOrDefault());
        sample.stop(trainingTime);
        ActivationDecision decision = stored.metrics().comparison();
        int published = decision.activated() ? scoring.rescoreAll(family, stored.version()) : 0;
        LOG.infof("trained %s version %d (%s) on %d subscribers (k=%d, silhouette=%.3f, noise=%s); %s; published %d"
                + " assignments", family, stored.version(), fresh.hyperparameters().algorithm(), rows.size(),
                fresh.metrics().k(), fresh.metrics().silhouette(), fresh.metrics().noiseRows(), decision.reason(),
                published);
        return stored;
    }

    /**
     * Registers a fresh clustering with ids carried over from the active version, active or candidate
     * as {@link ActivationDecision} decides (mean silhouette of both on these rows, in the new space).
     */
    private StoredVersion registerClustering(String family, List<Map<String, Double>> rows, TrainingOutcome fresh,
            long seed, boolean autoActivate) {
        Optional<ModelRegistry.ActiveModel> active = registry.active(family);
        List<ClusterProfile> previous = active.flatMap(a -> registry.find(family, a.version()))
                .map(StoredVersion::clusters).orElse(List.of());
        TrainingOutcome outcome = fresh.withStableIds(previous);
        ActivationDecision decision = active.map(a -> ActivationDecision.compared(a.version(),
                        RetrainComparison.clustering(rows, outcome.preprocessing(), outcome.scorer(), a.scorer(),
                                ClusteringTrainer.SILHOUETTE_SAMPLE, seed), autoActivate))
                .orElseGet(() -> ActivationDecision.first(autoActivate));
        StoredVersion stored = registry.register(family, outcome.withComparison(decision),
                outcome.model().getProvenance().toString(),
                decision.activated() ? ModelVersionRepository.ACTIVE : ModelVersionRepository.CANDIDATE,
                clock.instant());
        saveClusteringBaseline(family, stored.version(), rows, outcome);
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

    /** What a scheduled retrain did: the candidate's version and whether (and why) it became active. */
    public record Retrain(String family, int version, ActivationDecision decision) {

        public boolean activated() {
            return decision.activated();
        }

        public String stage() {
            return decision.reason();
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
            if (ModelFamilies.CLUSTERING_BEHAVIOURAL.equals(family)) {
                StoredVersion stored = retrainClustering(family, active, rows);
                result = new Retrain(family, stored.version(), stored.metrics().comparison());
            } else {
                SnapshotVersion trained = registerSnapshotFamily(family, rows, fitSnapshotFamily(family, rows), true);
                result = new Retrain(family, trained.stored().version(), trained.decision());
            }
        }
        if (result.activated()) {
            scoring.rescoreAll(family, result.version());
        }
        LOG.infof("scheduled retrain of %s: version %d %s", family, result.version(), result.stage());
        return result;
    }

    private StoredVersion retrainClustering(String family, int activeVersion, List<Map<String, Double>> rows) {
        Hyperparameters settings = registry.find(family, activeVersion).orElseThrow().hyperparameters();
        TrainingOutcome fresh;
        try {
            fresh = ClusteringTrainer.HDBSCAN.equals(settings.algorithm())
                    ? trainer.trainHdbscan(rows, settings.minClusterSize(), settings.minSamples(), settings.seed())
                    : trainer.train(rows, "requested".equals(settings.kSelection()) ? settings.k() : null,
                            settings.seed());
        } catch (ClusteringTrainer.NoClusters | IllegalArgumentException e) {
            throw new ProblemException(ProblemDetail.of(409, "not enough subscribers to train", e.getMessage()));
        }
        return registerClustering(family, rows, fresh, settings.seed(), true);
    }

    /**
     * Registers a fitted CLV or send-time model, active or candidate as {@link ActivationDecision}
     * decides (log-likelihood of these rows under each version), with its drift baseline.
     */
    private SnapshotVersion registerSnapshotFamily(String family, List<Map<String, Double>> rows, TrainedModel trained,
            boolean autoActivate) {
        Optional<Integer> active = registry.activeVersion(family);
        ActivationDecision decision = active.map(version -> ActivationDecision.compared(version,
                        compare(family, rows, trained.predictor(), registry.predictor(family, version)), autoActivate))
                .orElseGet(() -> ActivationDecision.first(autoActivate));
        GenericVersion stored = registry.register(family, trained, decision, clock.instant());
        registry.saveDriftBaseline(family, stored.version(), DriftBaseline.fit(rows,
                MonitoringService.monitoredFeatures(family, rows), List.of(trained.predictor())));
        return new SnapshotVersion(stored, decision);
    }

    private static RetrainComparison compare(String family, List<Map<String, Double>> rows,
            SubscriberPredictor candidate, SubscriberPredictor active) {
        return ModelFamilies.CLV_BTYD.equals(family)
                ? RetrainComparison.clv(rows, (ClvModel) candidate, (ClvModel) active)
                : RetrainComparison.sendTime(rows, (SendTimeModel) candidate, (SendTimeModel) active);
    }

    /** A CLV or send-time version just registered, and whether (and why) it became active. */
    public record SnapshotVersion(GenericVersion stored, ActivationDecision decision) {
    }

    /**
     * Fits a snapshot family (clv.btyd, sendtime) on every stored snapshot; it becomes active (and
     * everyone is rescored) when it is the first version or beats the active one on these rows.
     */
    public synchronized SnapshotVersion trainOnSnapshots(String family, boolean autoActivate) {
        List<Map<String, Double>> rows = allFeatures();
        Timer.Sample sample = Timer.start();
        TrainedModel trained = fitSnapshotFamily(family, rows);
        SnapshotVersion registered = registerSnapshotFamily(family, rows, trained, autoActivate);
        sample.stop(meters.timer("cohort.model.training", "family", family));
        int version = registered.stored().version();
        int published = registered.decision().activated() ? scoring.rescoreAll(family, version) : 0;
        LOG.infof("trained %s version %d on %d subscribers; %s; published %d records", family, version,
                trained.rows(), registered.decision().reason(), published);
        return registered;
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
