package io.cohort.segment.messaging;

import io.cohort.segment.persistence.OutboxRepository;
import io.cohort.segment.persistence.OutboxRepository.PendingEvent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Moves committed membership events from the outbox to Kafka, oldest first. The batch stays
 * locked while it is published, so another replica skips it; rows are marked published only after
 * the broker acknowledged them. A crash between ack and mark re-publishes the same events with the
 * same eventIds, which consumers can drop.
 *
 * <p>Writers {@link #nudge()} the relay after committing, so events leave at once; the schedule is
 * the safety net for failed attempts and for events another replica committed.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxRepository outbox;
    private final MembershipEventPublisher publisher;
    private final MembershipMetrics metrics;
    private final Clock clock;
    private final int batchSize;
    private final AtomicBoolean requested = new AtomicBoolean();
    /** Idle under the streams engine: transitions leave in the stream's own transaction, nothing is in the outbox. */
    @jakarta.inject.Inject
    io.cohort.segment.streaming.EngineConfig engine;
    private final ReentrantLock draining = new ReentrantLock();
    private final ExecutorService nudges = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "membership-outbox-relay");
        thread.setDaemon(true);
        return thread;
    });

    public OutboxRelay(OutboxRepository outbox, MembershipEventPublisher publisher, MembershipMetrics metrics,
            Clock clock, @ConfigProperty(name = "segment.outbox.batch-size", defaultValue = "500") int batchSize) {
        this.outbox = outbox;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /** After a commit that wrote these transitions to the outbox: counts them and nudges when there are any. */
    public void committed(java.util.List<io.cohort.segment.domain.Transition> transitions) {
        metrics.transitions(transitions);
        if (!transitions.isEmpty()) {
            nudge();
        }
    }

    /** Asks for a relay run soon, without waiting for it; call after committing outbox rows. */
    public void nudge() {
        if (engine.streamsEngine()) {
            return;
        }
        requested.set(true);
        try {
            nudges.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // shutting down: the next start's schedule publishes what is left
        }
    }

    @Scheduled(every = "${segment.outbox.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (engine.streamsEngine()) {
            return;
        }
        requested.set(true);
        drain();
    }

    /** Relays until nothing was requested meanwhile; one drain at a time, a busy drain picks up new requests. */
    void drain() {
        while (requested.get() && draining.tryLock()) {
            try {
                while (requested.getAndSet(false)) {
                    relayAll();
                }
            } finally {
                draining.unlock();
            }
        }
    }

    private void relayAll() {
        try {
            int published;
            do {
                published = relayBatch();
                metrics.published(published);
            } while (published == batchSize);
        } catch (RuntimeException e) {
            LOG.warnf("publishing membership events failed, will retry: %s", e.getMessage());
        }
    }

    /** Publishes one batch; returns how many events it published. */
    int relayBatch() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<PendingEvent> batch = outbox.lockPending(batchSize);
            if (batch.isEmpty()) {
                return 0;
            }
            // Await the broker with the transaction suspended (Mutiny callbacks must not carry the
            // JTA context); the row locks stay held by the suspended transaction meanwhile.
            QuarkusTransaction.suspendingExisting().run(
                    () -> publisher.publishAll(batch.stream().map(PendingEvent::event).toList()));
            outbox.markPublished(batch.stream().map(PendingEvent::id).toList(), clock.instant());
            return batch.size();
        });
    }

    @PreDestroy
    void stop() {
        nudges.shutdownNow();
    }
}
