package io.cohort.feature.messaging;

import io.cohort.feature.persistence.SubscriberRepository;
import io.cohort.feature.persistence.SubscriberRepository.RecomputeBacklog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * How stale the published vectors are: with coalescing, an applied event only marks its subscriber
 * and {@link AccountRefresh} publishes the new vector later, so "events applied" alone does not say
 * when segment-service sees them. Every {@code cohort.feature.backlog.every} (5s) this reads the marks
 * and exports {@code cohort.feature.vectors.pending} (subscribers waiting for a recompute) and
 * {@code cohort.feature.vectors.pending.oldest.seconds} (how long the longest-waiting one has waited;
 * 0 when none): the figure to alert on.
 */
@ApplicationScoped
public class RecomputeBacklogMetrics {

    private static final Logger LOG = Logger.getLogger(RecomputeBacklogMetrics.class);

    private final SubscriberRepository subscribers;
    private final Clock clock;
    private final io.cohort.feature.application.FeatureEngine engine;
    private final AtomicReference<RecomputeBacklog> last = new AtomicReference<>(new RecomputeBacklog(0, null));

    public RecomputeBacklogMetrics(SubscriberRepository subscribers, Clock clock, MeterRegistry registry,
            io.cohort.feature.application.FeatureEngine engine) {
        this.engine = engine;
        this.subscribers = subscribers;
        this.clock = clock;
        Gauge.builder("cohort.feature.vectors.pending", last, r -> r.get().pending())
                .description("subscribers whose vector waits for a recompute and publish").register(registry);
        Gauge.builder("cohort.feature.vectors.pending.oldest", last, r -> oldestWaitSeconds(r.get()))
                .baseUnit("seconds")
                .description("how long the longest-waiting marked subscriber has waited (0: none)")
                .register(registry);
    }

    @Scheduled(identity = "recompute-backlog", every = "${cohort.feature.backlog.every:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!engine.postgresPublishesVectors()) {
            return; // no refresh backlog under streams (cohort.feature.streams.coalescing.delay instead)
        }
        try {
            readNow();
        } catch (RuntimeException e) {
            LOG.warnf("recompute backlog read failed (%s)", e.getClass().getSimpleName());
        }
    }

    /** Reads the backlog now (the gauges then report it) and returns it. */
    public RecomputeBacklog readNow() {
        RecomputeBacklog backlog = subscribers.recomputeBacklog();
        last.set(backlog);
        return backlog;
    }

    private double oldestWaitSeconds(RecomputeBacklog backlog) {
        if (backlog.oldestMark() == null) {
            return 0;
        }
        // a mark set by a replica whose clock runs ahead must not show as a negative wait
        return Math.max(0, Duration.between(backlog.oldestMark(), clock.instant()).toMillis() / 1000.0);
    }
}
