package io.cohort.feature.messaging;

import io.cohort.feature.persistence.FeatureStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
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

    private final FeatureStore store;
    private final FeatureVectorPublisher publisher;
    private final int batchSize;
    private final Counter republished;

    public AccountRefresh(FeatureStore store, FeatureVectorPublisher publisher, MeterRegistry registry,
            @ConfigProperty(name = "cohort.feature.sweep.batch-size", defaultValue = "200") int batchSize) {
        this.store = store;
        this.publisher = publisher;
        this.batchSize = batchSize;
        this.republished = registry.counter("cohort.feature.account.republished");
    }

    @Scheduled(identity = "account-refresh", every = "${cohort.feature.refresh.every:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            refreshOnce();
        } catch (RuntimeException e) {
            LOG.warnf("account refresh stopped early (%s)", e.getClass().getSimpleName());
        }
    }

    /** Runs batches until no contact is marked; returns how many were recomputed. */
    public int refreshOnce() {
        int claimed = 0;
        while (true) {
            FeatureStore.SweepBatch batch = store.accountRefreshBatch(batchSize);
            if (batch.claimed() == 0) {
                return claimed;
            }
            claimed += batch.claimed();
            // all sent, then every ack awaited together (outside the transaction, which has committed)
            publisher.publishAll(batch.toPublish());
            republished.increment(batch.toPublish().size());
            store.confirmAccountRefresh(batch);
        }
    }
}
