package io.cohort.feature.messaging;

import io.cohort.feature.domain.RefreshPace;
import io.cohort.feature.persistence.ApplyPhases;
import io.cohort.feature.persistence.FeatureStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes the vectors marked for recomputation, at most once per subscriber per
 * {@code cohort.feature.refresh.every} (1s): the subscribers whose events were applied with
 * coalescing on (a burst of events becomes one publish), and the contacts of accounts that changed
 * (group traits, intent signals, a contact's engagement, orders, link or erasure). The marked ones
 * are recomputed in batches, the changed vectors published, and the marks cleared only after the
 * publish, so a lost publish is retried. Batches are claimed with {@code for update skip locked}.
 */
@ApplicationScoped
public class AccountRefresh {

    private static final Logger LOG = Logger.getLogger(AccountRefresh.class);
    /** The consumer counts as busy when it applied a poll this recently. */
    private static final Duration CONSUMING_WINDOW = Duration.ofSeconds(2);

    private final FeatureStore store;
    private final FeatureVectorPublisher publisher;
    private final int batchSize;
    private final Counter republished;
    private final ApplyPhases phases;
    private final EventConsumer consumer;
    private final RefreshPace whileConsuming;
    private final RefreshPace draining;
    private final Clock clock;
    private final io.cohort.feature.application.FeatureEngine engine;

    public AccountRefresh(FeatureStore store, FeatureVectorPublisher publisher, MeterRegistry registry,
            @ConfigProperty(name = "cohort.feature.sweep.batch-size", defaultValue = "200") int batchSize,
            ApplyPhases phases, EventConsumer consumer, Clock clock,
            io.cohort.feature.application.FeatureEngine engine,
            @ConfigProperty(name = "cohort.feature.refresh.budget-while-consuming", defaultValue = "250ms")
            Duration budgetWhileConsuming,
            @ConfigProperty(name = "cohort.feature.refresh.max-wait", defaultValue = "30s") Duration maxWait) {
        this.phases = phases;
        this.engine = engine;
        this.consumer = consumer;
        this.clock = clock;
        this.whileConsuming = new RefreshPace(budgetWhileConsuming, maxWait);
        this.draining = RefreshPace.draining(maxWait);
        this.store = store;
        this.publisher = publisher;
        this.batchSize = batchSize;
        this.republished = registry.counter("cohort.feature.account.republished");
    }

    @Scheduled(identity = "account-refresh", every = "${cohort.feature.refresh.every:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!engine.postgresPublishesVectors()) {
            return; // the streams engine publishes vectors itself
        }
        try {
            // on a small machine the recompute competes with the consumer for the same cores: while
            // polls are being applied, a run stops claiming after its budget and the coalescing window
            // widens instead, up to cohort.feature.refresh.max-wait (30s; see RefreshPace); idle, it drains all
            refresh(consumer.appliedWithin(CONSUMING_WINDOW) ? whileConsuming : draining);
        } catch (RuntimeException e) {
            LOG.warnf("account refresh stopped early (%s)", e.getClass().getSimpleName());
        }
    }

    /** Runs batches until no contact is marked; returns how many were recomputed. */
    public int refreshOnce() {
        return refresh(draining);
    }

    /**
     * Runs batches until no contact is marked or the pace says stop (see {@link RefreshPace}; the
     * first batch always runs).
     */
    int refresh(RefreshPace pace) {
        long start = System.nanoTime();
        int claimed = 0;
        while (true) {
            long t = phases.start();
            long batchStart = t;
            FeatureStore.SweepBatch batch = store.accountRefreshBatch(batchSize);
            t = phases.lap("refresh-compute", t);
            if (batch.claimed() == 0) {
                return claimed;
            }
            claimed += batch.claimed();
            // all sent, then every ack awaited together (outside the transaction, which has committed)
            publisher.publishAll(batch.toPublish());
            republished.increment(batch.toPublish().size());
            store.confirmAccountRefresh(batch);
            long end = phases.lap("refresh-publish", t);
            if (!pace.another(Duration.ofNanos(end - start), Duration.ofNanos(end - batchStart), batch.newestMark(),
                    clock.instant())) {
                return claimed;
            }
        }
    }
}
