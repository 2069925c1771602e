package io.cohort.model.messaging;

import io.cohort.contracts.ClusterAssignment;
import io.cohort.contracts.SubscriberScores;
import io.cohort.model.domain.ClusterScorer;
import io.cohort.model.domain.ModelFamilies;
import io.cohort.model.persistence.FeatureSnapshot;
import io.cohort.model.persistence.FeatureSnapshotRepository;
import io.cohort.model.persistence.ModelRegistry;
import io.cohort.model.domain.SubscriberPredictor;
import io.cohort.model.persistence.ModelRegistry.ActiveModel;
import io.cohort.model.persistence.ModelRegistry.ActivePredictor;
import io.cohort.model.domain.propensity.PropensityFamilies;
import io.cohort.model.persistence.PublishedScore;
import io.cohort.model.persistence.ServedPredictionRepository;
import io.cohort.model.persistence.SubscriberScoreRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Scores subscribers with every active version (the clustering's cluster, the scoring families'
 * named scores and reason codes) and publishes one record only when something differs from the
 * last one published for that subscriber: a model version, the cluster, the score names, or a score
 * by more than {@code cohort.model.scores.epsilon}.
 *
 * <p>Order of work: read (short transactions), publish and await the broker's acks with no
 * transaction open, then record what was published. A crash between publish and record
 * re-publishes the same assignment later, which consumers of the compacted topic absorb.
 * One lock serialises scoring in this process, so a bulk rescore after training, a feature update
 * and an erasure of the same subscriber never interleave their publish/record steps.
 */
@ApplicationScoped
public class ScoringService {

    static final String FAMILY = ModelFamilies.CLUSTERING_BEHAVIOURAL;
    static final int RESCORE_PAGE = 500;

    private final FeatureSnapshotRepository snapshots;
    private final SubscriberScoreRepository scores;
    private final ServedPredictionRepository served;
    private final ModelRegistry registry;
    private final ScoresPublisher publisher;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Counter published;
    private final Counter unchanged;
    private final Timer scoringTime;
    private final double epsilon;

    public ScoringService(FeatureSnapshotRepository snapshots, SubscriberScoreRepository scores,
            ServedPredictionRepository served, ModelRegistry registry, ScoresPublisher publisher, Clock clock, MeterRegistry meters,
            @ConfigProperty(name = "cohort.model.scores.epsilon", defaultValue = "0.001") double epsilon) {
        this.epsilon = epsilon;
        this.snapshots = snapshots;
        this.scores = scores;
        this.served = served;
        this.registry = registry;
        this.publisher = publisher;
        this.clock = clock;
        this.published = meters.counter("cohort.model.scores", "outcome", "published");
        this.unchanged = meters.counter("cohort.model.scores", "outcome", "unchanged");
        this.scoringTime = meters.timer("cohort.model.scoring");
    }

    /** Scores one subscriber's stored snapshot with every active version; true when published. */
    public boolean score(String subscriberId) {
        lock.lock();
        try {
            ActiveSet active = activeSet();
            if (active.isEmpty()) {
                return false; // nothing to score with: spare the database a read per vector
            }
            Optional<FeatureSnapshot> snapshot = snapshots.find(subscriberId);
            if (snapshot.isEmpty()) {
                return false;
            }
            return scoreAndPublish(List.of(snapshot.get()), active, false) == 1;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Scores snapshots just stored by the feature consumer (one poll's, each subscriber once) with
     * every active version, reading the active set once for all of them; returns how many were
     * published. The snapshots are the consumer's own vectors, which are the stored versions: no
     * read back.
     */
    public int scoreAll(List<FeatureSnapshot> stored) {
        if (stored.isEmpty()) {
            return 0;
        }
        lock.lock();
        try {
            ActiveSet active = activeSet();
            if (active.isEmpty()) {
                return 0; // nothing to score with
            }
            return scoreAndPublish(stored, active, false);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Rescores every snapshot after {@code version} of {@code family} became active, page by page;
     * stops early if another version of that family became active meanwhile (that version's own
     * rescore takes over).
     *
     * @return subscribers whose record was published
     */
    public int rescoreAll(String family, int version) {
        return rescoreAll(family, version, done -> {
        });
    }

    /** {@link #rescoreAll(String, int)}, telling {@code progress} how many subscribers were scored so far. */
    public int rescoreAll(String family, int version, java.util.function.IntConsumer progress) {
        return rescoreAll(family, version, false, progress);
    }

    /**
     * {@link #rescoreAll(String, int)}; with {@code force} every subscriber is published even when
     * nothing numeric changed (e.g. a cluster was renamed).
     */
    public int rescoreAll(String family, int version, boolean force, java.util.function.IntConsumer progress) {
        int publishedCount = 0;
        int seen = 0;
        String after = null;
        while (true) {
            lock.lock();
            try {
                ActiveSet active = activeSet();
                if (active.versions().get(family) == null || active.versions().get(family) != version) {
                    return publishedCount;
                }
                List<FeatureSnapshot> page = snapshots.page(after, RESCORE_PAGE);
                if (page.isEmpty()) {
                    return publishedCount;
                }
                publishedCount += scoreAndPublish(page, active, force);
                seen += page.size();
                progress.accept(seen);
                after = page.get(page.size() - 1).subscriberId();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Clustering rescore, as before. */
    public int rescoreAll(int version) {
        return rescoreAll(FAMILY, version);
    }

    /** Erasure: tells scores consumers to forget the subscriber, then deletes its rows. */
    public void erase(String subscriberId) {
        lock.lock();
        try {
            // tombstone first: if the delete then fails, the redelivered tombstone repeats both steps
            publisher.publishTombstone(subscriberId);
            snapshots.erase(subscriberId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Erasure request: registers the subscriber as erased at {@code erasedAt} and deletes its rows in
     * one transaction, then tells scores consumers to forget it. A redelivered request repeats both.
     */
    public void eraseAndSuppress(String subscriberId, Instant erasedAt) {
        lock.lock();
        try {
            snapshots.suppressAndErase(subscriberId, erasedAt);
            publisher.publishTombstone(subscriberId);
        } finally {
            lock.unlock();
        }
    }

    /** Every active version: the clustering (if any) and the scoring families. */
    record ActiveSet(Optional<ActiveModel> clustering, List<ActivePredictor> predictors) {

        boolean isEmpty() {
            return clustering.isEmpty() && predictors.isEmpty();
        }

        Map<String, Integer> versions() {
            Map<String, Integer> versions = new TreeMap<>();
            clustering.ifPresent(c -> versions.put(c.family(), c.version()));
            predictors.forEach(p -> versions.put(p.family(), p.version()));
            return versions;
        }
    }

    /** Every active version, read in one query (this runs for every feature update). */
    private ActiveSet activeSet() {
        Map<String, Integer> active = registry.activeVersions();
        List<ActivePredictor> predictors = new ArrayList<>();
        for (String family : ModelFamilies.PREDICTORS) {
            Integer version = active.get(family);
            if (version != null) {
                predictors.add(new ActivePredictor(family, version, registry.predictor(family, version)));
            }
        }
        Integer clustering = active.get(FAMILY);
        return new ActiveSet(clustering == null ? Optional.empty() : Optional.of(registry.clustering(FAMILY, clustering)),
                predictors);
    }

    private int scoreAndPublish(List<FeatureSnapshot> page, ActiveSet active, boolean force) {
        Timer.Sample sample = Timer.start();
        Map<String, PublishedScore> last = scores.find(page.stream().map(FeatureSnapshot::subscriberId).toList());
        Instant now = clock.instant();
        Map<String, Integer> versions = active.versions();
        List<SubscriberScores> records = new ArrayList<>();
        List<PublishedScore> rows = new ArrayList<>();
        for (FeatureSnapshot snapshot : page) {
            ClusterAssignment cluster = null;
            if (active.clustering().isPresent()) {
                ActiveModel clustering = active.clustering().get();
                ClusterScorer.Assignment assignment = clustering.scorer().assign(snapshot.features());
                cluster = new ClusterAssignment(FAMILY, clustering.version(), assignment.clusterId(),
                        assignment.clusterName());
            }
            Map<String, Double> named = new TreeMap<>();
            Map<String, List<String>> reasons = new TreeMap<>();
            for (ActivePredictor predictor : active.predictors()) {
                SubscriberPredictor.Prediction prediction = predictor.predictor().predict(snapshot.features());
                named.putAll(prediction.scores());
                reasons.putAll(prediction.reasons());
            }
            PublishedScore previous = last.get(snapshot.subscriberId());
            if (!force && previous != null && unchanged(previous, cluster, named, versions)) {
                unchanged.increment();
                continue;
            }
            records.add(new SubscriberScores(SubscriberScores.SCHEMA_VERSION, snapshot.subscriberId(),
                    snapshot.version(), now, cluster, named.isEmpty() ? null : named, versions,
                    reasons.isEmpty() ? null : reasons));
            rows.add(new PublishedScore(snapshot.subscriberId(), snapshot.version(),
                    cluster == null ? null : cluster.modelVersion(), cluster == null ? null : cluster.clusterId(),
                    now, named, versions));
        }
        publisher.publishAll(records);
        // an erasure handled by another replica while these were in flight: its tombstone must come last
        snapshots.missing(records.stream().map(SubscriberScores::subscriberId).toList())
                .forEach(publisher::publishTombstone);
        scores.record(rows);
        served.record(LocalDate.ofInstant(now, ZoneOffset.UTC), served(rows));
        published.increment(records.size());
        sample.stop(scoringTime);
        return records.size();
    }

    /** The propensity and churn scores among the published rows, for calibration monitoring. */
    static List<ServedPredictionRepository.Served> served(List<PublishedScore> rows) {
        List<ServedPredictionRepository.Served> served = new ArrayList<>();
        for (PublishedScore row : rows) {
            for (PropensityFamilies.Definition definition : PropensityFamilies.ALL.values()) {
                Integer version = row.modelVersions().get(definition.family());
                Double score = row.scores().get(definition.scoreName());
                if (version != null && score != null) {
                    served.add(new ServedPredictionRepository.Served(definition.family(), row.subscriberId(),
                            version, score));
                }
            }
        }
        return served;
    }

    /**
     * Nothing worth publishing changed: same versions, same cluster, the same score names and every
     * score within epsilon of the published one (relative to its size when above 1).
     */
    boolean unchanged(PublishedScore previous, ClusterAssignment cluster, Map<String, Double> named,
            Map<String, Integer> versions) {
        if (!Objects.equals(previous.modelVersion(), cluster == null ? null : cluster.modelVersion())
                || !Objects.equals(previous.clusterId(), cluster == null ? null : cluster.clusterId())) {
            return false;
        }
        if (!previous.modelVersions().isEmpty() && !previous.modelVersions().equals(versions)) {
            return false;
        }
        if (!previous.scores().keySet().equals(named.keySet())) {
            return false;
        }
        for (Map.Entry<String, Double> score : named.entrySet()) {
            double before = previous.scores().get(score.getKey());
            if (Math.abs(score.getValue() - before) > epsilon * Math.max(1, Math.abs(before))) {
                return false;
            }
        }
        return true;
    }
}
