package io.cohort.model.messaging;

import io.cohort.contracts.ClusterAssignment;
import io.cohort.contracts.SubscriberScores;
import io.cohort.model.domain.ClusterScorer;
import io.cohort.model.domain.ModelFamilies;
import io.cohort.model.persistence.FeatureSnapshot;
import io.cohort.model.persistence.FeatureSnapshotRepository;
import io.cohort.model.persistence.ModelRegistry;
import io.cohort.model.persistence.ModelRegistry.ActiveModel;
import io.cohort.model.persistence.PublishedScore;
import io.cohort.model.persistence.SubscriberScoreRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Scores subscribers with the active clustering version and publishes an assignment only when it
 * differs from the last one published for that subscriber (model version or cluster changed).
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
    private final ModelRegistry registry;
    private final ScoresPublisher publisher;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Counter published;
    private final Counter unchanged;
    private final Timer scoringTime;

    public ScoringService(FeatureSnapshotRepository snapshots, SubscriberScoreRepository scores,
            ModelRegistry registry, ScoresPublisher publisher, Clock clock, MeterRegistry meters) {
        this.snapshots = snapshots;
        this.scores = scores;
        this.registry = registry;
        this.publisher = publisher;
        this.clock = clock;
        this.published = meters.counter("cohort.model.scores", "outcome", "published");
        this.unchanged = meters.counter("cohort.model.scores", "outcome", "unchanged");
        this.scoringTime = meters.timer("cohort.model.scoring");
    }

    /** Scores one subscriber's stored snapshot, if an active version exists; true when published. */
    public boolean score(String subscriberId) {
        lock.lock();
        try {
            Optional<ActiveModel> active = registry.active(FAMILY);
            Optional<FeatureSnapshot> snapshot = snapshots.find(subscriberId);
            if (active.isEmpty() || snapshot.isEmpty()) {
                return false;
            }
            return scoreAndPublish(List.of(snapshot.get()), active.get()) == 1;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Rescores every snapshot with {@code version}, page by page; stops early if another version
     * became active meanwhile (that version's own rescore takes over).
     *
     * @return subscribers whose assignment was published
     */
    public int rescoreAll(int version) {
        int publishedCount = 0;
        String after = null;
        while (true) {
            lock.lock();
            try {
                Optional<ActiveModel> active = registry.active(FAMILY);
                if (active.isEmpty() || active.get().version() != version) {
                    return publishedCount;
                }
                List<FeatureSnapshot> page = snapshots.page(after, RESCORE_PAGE);
                if (page.isEmpty()) {
                    return publishedCount;
                }
                publishedCount += scoreAndPublish(page, active.get());
                after = page.get(page.size() - 1).subscriberId();
            } finally {
                lock.unlock();
            }
        }
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

    private int scoreAndPublish(List<FeatureSnapshot> page, ActiveModel active) {
        Timer.Sample sample = Timer.start();
        Map<String, PublishedScore> last = scores.find(page.stream().map(FeatureSnapshot::subscriberId).toList());
        Instant now = clock.instant();
        List<SubscriberScores> records = new ArrayList<>();
        List<PublishedScore> rows = new ArrayList<>();
        for (FeatureSnapshot snapshot : page) {
            ClusterScorer.Assignment assignment = active.scorer().assign(snapshot.features());
            PublishedScore previous = last.get(snapshot.subscriberId());
            if (previous != null && previous.modelVersion() == active.version()
                    && previous.clusterId() == assignment.clusterId()) {
                unchanged.increment();
                continue;
            }
            records.add(new SubscriberScores(SubscriberScores.SCHEMA_VERSION, snapshot.subscriberId(),
                    snapshot.version(), now,
                    new ClusterAssignment(FAMILY, active.version(), assignment.clusterId(), assignment.clusterName()),
                    null, Map.of(FAMILY, active.version())));
            rows.add(new PublishedScore(snapshot.subscriberId(), snapshot.version(), active.version(),
                    assignment.clusterId(), now));
        }
        publisher.publishAll(records);
        scores.record(rows);
        published.increment(records.size());
        sample.stop(scoringTime);
        return records.size();
    }
}
