package io.cohort.ingest.persistence;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Bounds the dedup table: a {@code messageId} is remembered for {@code cohort.ingest.dedup.window}
 * (default 35 days) after it was accepted, then forgotten, so storage grows with the traffic of one
 * window, not with all history.
 *
 * <p>Why 35 days: {@code cohort.events.v1} keeps events 30 days. Within that time the original is
 * still on the topic, and a second copy would be counted twice by anyone replaying it, so every id
 * must be remembered at least as long as the topic keeps the event; the extra 5 days cover clients
 * that retry or replay late (queued mobile events, re-sent exports) and clock differences between
 * replicas. A repeat older than the window is accepted and published again, as Segment's own
 * (much shorter) dedup window does.
 *
 * <p>Runs every {@code cohort.ingest.dedup.purge-every} (default 1h) on every replica; deleting is
 * idempotent, so replicas racing do no harm. Each batch of {@code cohort.ingest.dedup.purge-batch}
 * rows is its own short transaction, so the purge never holds long locks against the intake.
 */
@ApplicationScoped
public class DedupWindowPurge {

    private static final Logger LOG = Logger.getLogger(DedupWindowPurge.class);

    private final AcceptedMessageRepository accepted;
    private final Clock clock;
    private final Duration window;
    private final int batchSize;

    public DedupWindowPurge(AcceptedMessageRepository accepted, Clock clock,
            @ConfigProperty(name = "cohort.ingest.dedup.window", defaultValue = "35d") Duration window,
            @ConfigProperty(name = "cohort.ingest.dedup.purge-batch", defaultValue = "10000") int batchSize) {
        this.accepted = accepted;
        this.clock = clock;
        this.window = window;
        this.batchSize = batchSize;
    }

    @Scheduled(every = "${cohort.ingest.dedup.purge-every:1h}", delayed = "${cohort.ingest.dedup.purge-delay:5m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        purge(Instant.now(clock));
    }

    /** Forgets every id accepted before {@code now - window}; returns how many were deleted. */
    public long purge(Instant now) {
        Instant cutoff = now.minus(window);
        long total = BatchedDelete.inBatches(batchSize, () -> accepted.deleteAcceptedBefore(cutoff, batchSize));
        if (total > 0) {
            LOG.infof("dedup window: forgot %d message ids accepted before %s", total, cutoff);
        }
        return total;
    }

    public Duration window() {
        return window;
    }
}
