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
import io.cohort.model.domain.clv.ClvTrainer;
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
        List<Map<String, Double>> rows = allFeatures();
        int required = ClusteringTrainer.requiredRows(k);
        if (rows.size() < required) {
            throw new ProblemException(ProblemDetail.of(409, "not enough subscribers to train",
                    "not enough subscribers to train: need feature vectors of at least " + required
                            + " subscribers, have " + rows.size()));
        }
        Timer.Sample sample = Timer.start();
        List<ClusterProfile> previous = registry.active(family)
                .flatMap(active -> registry.find(family, active.version()))
                .map(StoredVersion::clusters).orElse(List.of());
        TrainingOutcome outcome = trainer.train(rows, k, seed).withStableIds(previous);
        StoredVersion stored = registry.registerActive(family, outcome, outcome.model().getProvenance().toString(),
                clock.instant());
        ClusterScorer scorer = outcome.scorer();
        registry.saveDriftBaseline(family, stored.version(), DriftBaseline.fit(rows, outcome.preprocessing().features(),
                List.of(features -> new SubscriberPredictor.Prediction(
                        Map.of(MonitoringService.CLUSTER_SCORE, (double) scorer.assign(features).clusterId()), Map.of()))));
        sample.stop(trainingTime);
        int published = scoring.rescoreAll(family, stored.version());
        LOG.infof("trained %s version %d on %d subscribers (k=%d, silhouette=%.3f); published %d assignments",
                family, stored.version(), rows.size(), outcome.metrics().k(), outcome.metrics().silhouette(),
                published);
        return stored;
    }

    /** 400 when the clustering request's k is out of range. */
    public void validate(TrainRequest request) {
        Integer k = request == null ? null : request.k();
        if (k != null && (k < ClusteringTrainer.MIN_K || k > ClusteringTrainer.MAX_K)) {
            throw new ValidationFailedException("The training request is invalid", List.of(new FieldViolation("/k",
                    "must be between " + ClusteringTrainer.MIN_K + " and " + ClusteringTrainer.MAX_K)));
        }
    }

    /** Fits a snapshot family (clv.btyd, sendtime) on every stored snapshot, activates it and rescores. */
    public synchronized GenericVersion trainOnSnapshots(String family) {
        List<Map<String, Double>> rows = allFeatures();
        Timer.Sample sample = Timer.start();
        TrainedModel trained;
        try {
            trained = switch (family) {
                case ModelFamilies.CLV_BTYD -> clvTrainer.train(rows, clock.instant());
                case ModelFamilies.SENDTIME -> new SendTimeTrainer().train(rows, clock.instant());
                default -> throw ProblemException.unknownFamily(family);
            };
        } catch (ClvTrainer.NotEnoughData | SendTimeTrainer.NoHistory e) {
            throw new ProblemException(ProblemDetail.of(409, "not enough subscribers to train", e.getMessage()));
        }
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
