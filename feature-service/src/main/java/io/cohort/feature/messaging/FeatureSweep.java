package io.cohort.feature.messaging;

import io.cohort.feature.persistence.FeatureStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The time-driven republish: windows slide and "days since" grow without any new event, so every
 * {@code cohort.feature.sweep.every} the vectors last known current before today (UTC) are
 * recomputed in batches of {@code cohort.feature.sweep.batch-size}, and the changed ones are
 * published with a new version. Each batch is claimed with {@code for update skip locked}, so
 * replicas running the same schedule share the work instead of repeating it; publishing happens
 * after the batch's transaction commits.
 */
@ApplicationScoped
public class FeatureSweep {

    private static final Logger LOG = Logger.getLogger(FeatureSweep.class);

    private final FeatureStore store;
    private final FeatureVectorPublisher publisher;
    private final int batchSize;
    private final int maxPerRun;
    private final Counter republished;

    private final io.cohort.feature.persistence.RollupRepository rollup;
    private final java.time.Clock clock;
    private final int keepDays;
    private final io.cohort.feature.persistence.ProcessedEventRepository processedEvents;
    private final java.time.Duration dedupWindow;
    private final io.cohort.feature.persistence.AccountRepository accounts;
    private final io.cohort.feature.application.FeatureEngine engine;

    public FeatureSweep(FeatureStore store, FeatureVectorPublisher publisher, MeterRegistry registry,
            io.cohort.feature.persistence.RollupRepository rollup, java.time.Clock clock,
            io.cohort.feature.persistence.ProcessedEventRepository processedEvents,
            io.cohort.feature.persistence.AccountRepository accounts,
            io.cohort.feature.application.FeatureEngine engine,
            @ConfigProperty(name = "cohort.feature.dedup.window", defaultValue = "P35D") java.time.Duration dedupWindow,
            @ConfigProperty(name = "cohort.feature.rollup.keep-days", defaultValue = "730") int keepDays,
            @ConfigProperty(name = "cohort.feature.sweep.batch-size", defaultValue = "200") int batchSize,
            @ConfigProperty(name = "cohort.feature.sweep.max-per-run", defaultValue = "100000") int maxPerRun) {
        this.store = store;
        this.engine = engine;
        this.rollup = rollup;
        this.clock = clock;
        this.keepDays = keepDays;
        this.processedEvents = processedEvents;
        this.dedupWindow = dedupWindow;
        this.accounts = accounts;
        this.publisher = publisher;
        this.batchSize = batchSize;
        this.maxPerRun = maxPerRun;
        this.republished = registry.counter("cohort.feature.sweep.republished");
    }

    @Scheduled(identity = "feature-sweep", every = "${cohort.feature.sweep.every:10m}",
            delayed = "${cohort.feature.sweep.delay:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            int swept = sweepOnce();
            if (swept > 0) {
                LOG.infof("feature sweep recomputed %d vectors", swept);
            }
        } catch (RuntimeException e) {
            // the unconfirmed rows stay stale and the next run retries them
            LOG.warnf("feature sweep stopped early (%s)", e.getClass().getSimpleName());
        }
    }

    /**
     * Folds daily rows older than {@code cohort.feature.rollup.keep-days} (730) into monthly rows,
     * in batches of {@code batch-size} x 10; returns how many daily rows moved.
     */
    public int rollUpOldDays() {
        java.time.LocalDate before = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC)
                .minusDays(keepDays);
        return inBatches(() -> rollup.rollUpBefore(before, batchSize * 10), maxPerRun * 10);
    }

    /**
     * Forgets the message ids applied longer ago than {@code cohort.feature.dedup.window} (35 days,
     * beyond the events topic's 30-day retention, so no replay from the topic can bring back an event
     * whose id is gone), in batches of {@code batch-size} x 50; returns how many were purged.
     */
    public int purgeOldMessageIds() {
        java.time.Instant before = clock.instant().minus(dedupWindow);
        return inBatches(() -> processedEvents.purgeBefore(before, batchSize * 50), maxPerRun * 50);
    }

    /** Intent rows are read over 30 days; they are kept a few days longer, then purged. */
    static final int INTENT_KEEP_DAYS = 35;

    /** Deletes intent rows older than {@link #INTENT_KEEP_DAYS}, in batches; returns how many went. */
    public int purgeOldIntentRows() {
        java.time.LocalDate before = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC)
                .minusDays(INTENT_KEEP_DAYS);
        return inBatches(() -> accounts.purgeIntentBefore(before, batchSize * 50), maxPerRun * 50);
    }

    /** Repeats a batch step (each its own transaction) until it finds nothing or the cap is reached. */
    private static int inBatches(java.util.function.IntSupplier step, int cap) {
        int total = 0;
        int done;
        do {
            done = step.getAsInt();
            total += done;
        } while (done > 0 && total < cap);
        return total;
    }

    /** Runs batches until nothing is stale or the per-run cap is reached; returns how many were claimed. */
    public int sweepOnce() {
        // RFM boundaries follow the customer base: recomputed hourly, on a new day and after a large import
        store.refreshRfmIfDue();
        rollUpOldDays();
        purgeOldMessageIds();
        purgeOldIntentRows();
        if (!engine.postgresPublishesVectors()) {
            // the streams engine slides its own vectors; the history upkeep above still runs here
            return 0;
        }
        int claimed = 0;
        while (claimed < maxPerRun) {
            FeatureStore.SweepBatch batch = store.sweepBatch(Math.min(batchSize, maxPerRun - claimed));
            if (batch.claimed() == 0) {
                break;
            }
            claimed += batch.claimed();
            publisher.publishAll(batch.toPublish());
            republished.increment(batch.toPublish().size());
            store.confirmSwept(batch.toPublish(), batch.day());
        }
        return claimed;
    }
}
