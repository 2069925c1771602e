package io.cohort.ingest.persistence;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Bounds the held (anonymous-only, not yet linked) events: they are dropped
 * {@code cohort.ingest.identity.pending-ttl} (default 30 days, the retention of cohort.events.v1)
 * after they arrived. A visitor never identified within that time stays unattributed.
 */
@ApplicationScoped
public class PendingEventPurge {

    private static final Logger LOG = Logger.getLogger(PendingEventPurge.class);

    private final IdentityRepository identity;
    private final Clock clock;
    private final Duration ttl;
    private final int batchSize;

    public PendingEventPurge(IdentityRepository identity, Clock clock,
            @ConfigProperty(name = "cohort.ingest.identity.pending-ttl", defaultValue = "30d") Duration ttl,
            @ConfigProperty(name = "cohort.ingest.dedup.purge-batch", defaultValue = "10000") int batchSize) {
        this.identity = identity;
        this.clock = clock;
        this.ttl = ttl;
        this.batchSize = batchSize;
    }

    @Scheduled(every = "${cohort.ingest.dedup.purge-every:1h}", delayed = "${cohort.ingest.dedup.purge-delay:5m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        purge(Instant.now(clock));
    }

    public long purge(Instant now) {
        Instant cutoff = now.minus(ttl);
        long total = BatchedDelete.inBatches(batchSize, () -> identity.deleteHeldBefore(cutoff, batchSize));
        if (total > 0) {
            LOG.infof("identity: dropped %d held anonymous events received before %s", total, cutoff);
        }
        return total;
    }
}
