package io.cohort.segment.messaging;

import io.cohort.segment.domain.LookalikeResult;
import io.cohort.segment.domain.Segment;
import io.cohort.segment.domain.SegmentKind;
import io.cohort.segment.persistence.SegmentRepository;
import io.cohort.segment.domain.SizeAlert;
import io.cohort.segment.domain.Transition;
import io.cohort.contracts.MembershipChange;
import io.cohort.segment.persistence.JobRepository;
import io.cohort.segment.persistence.MembershipStore;
import io.cohort.segment.persistence.SizeHistoryRepository;
import io.cohort.segment.persistence.SubscriberViewRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The time-based sweep: asks model-service again for every lookalike segment, recomputes top-N%
 * cutoffs of predictive segments, re-evaluates every view
 * against every active segment at the current time (days-since features age, cutoffs move), one
 * page per transaction so live updates interleave, and then records each segment's size of the day,
 * alerting when it moved more than {@code segment.size-alert.share} since the previous day's size.
 * Progress is a {@code sweep} job ({@code GET /v1/jobs/{id}}).
 */
@ApplicationScoped
public class Sweeper {

    private static final Logger LOG = Logger.getLogger(Sweeper.class);

    private final MembershipStore store;
    private final SubscriberViewRepository views;
    private final JobRepository jobs;
    private final SizeHistoryRepository sizes;
    private final MembershipMetrics metrics;
    private final OutboxRelay relay;
    private final Clock clock;
    @jakarta.inject.Inject
    SegmentRepository segments;
    @jakarta.inject.Inject
    ModelServiceClient modelService;
    @jakarta.inject.Inject
    io.cohort.segment.streaming.EngineConfig engine;
    @jakarta.inject.Inject
    io.cohort.segment.streaming.SegmentRegistry registry;
    @jakarta.inject.Inject
    io.cohort.segment.streaming.StreamsMembers streamsMembers;
    @jakarta.inject.Inject
    io.cohort.segment.application.StreamsCutoffs cutoffs;
    @jakarta.inject.Inject
    io.cohort.segment.persistence.RescanRequests rescans;
    @ConfigProperty(name = "segment.sweep.interval", defaultValue = "1h")
    String sweepInterval;
    private final int pageSize;
    private final double alertShare;
    private final long alertMinimumChange;

    public Sweeper(MembershipStore store, SubscriberViewRepository views, JobRepository jobs,
            SizeHistoryRepository sizes, MembershipMetrics metrics, OutboxRelay relay, Clock clock,
            @ConfigProperty(name = "segment.sweep.page-size", defaultValue = "500") int pageSize,
            @ConfigProperty(name = "segment.size-alert.share", defaultValue = "0.5") double alertShare,
            @ConfigProperty(name = "segment.size-alert.minimum-change", defaultValue = "10") long alertMinimumChange) {
        this.store = store;
        this.views = views;
        this.jobs = jobs;
        this.sizes = sizes;
        this.metrics = metrics;
        this.relay = relay;
        this.clock = clock;
        this.pageSize = pageSize;
        this.alertShare = alertShare;
        this.alertMinimumChange = alertMinimumChange;
    }

    @Scheduled(every = "${segment.sweep.interval:1h}", delayed = "${segment.sweep.delay:5m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "segment-sweep")
    void scheduled() {
        // streams: any replica's sweep rescans every instance, so one per interval over all replicas is enough
        if (engine.streamsEngine() && rescans.requestedWithin(interval().dividedBy(2))) {
            LOG.debug("another replica swept less than half an interval ago: skipped");
            return;
        }
        sweep();
    }

    /** The schedule's interval ("off" and other non-durations: zero, nothing is skipped). */
    private java.time.Duration interval() {
        try {
            java.time.Duration parsed = io.quarkus.runtime.configuration.DurationConverter.parseDuration(sweepInterval);
            return parsed == null ? java.time.Duration.ZERO : parsed;
        } catch (IllegalArgumentException e) {
            return java.time.Duration.ZERO;
        }
    }

    /** Runs one whole sweep and returns its job id. Sweeps never overlap on one replica. */
    public synchronized UUID sweep() {
        if (engine.streamsEngine()) {
            return sweepStreams();
        }
        UUID job = QuarkusTransaction.requiringNew().call(() -> jobs.startSweep(views.count(), clock.instant()));
        try {
            List<Transition> refreshed = refreshLookalikes();
            List<Segment> active = store.refreshCutoffs();
            long processed = 0;
            long entered = refreshed.stream().filter(t -> t.change() == MembershipChange.ENTERED).count();
            long exited = refreshed.size() - entered;
            String after = "";
            MembershipStore.SweepPage page;
            do {
                page = store.sweepPage(after, pageSize);
                after = page.last();
                processed += page.processed();
                for (Transition t : page.transitions()) {
                    if (t.change() == MembershipChange.ENTERED) {
                        entered++;
                    } else {
                        exited++;
                    }
                }
                metrics.transitions(page.transitions());
                if (!page.transitions().isEmpty()) {
                    relay.nudge();
                }
                long p = processed;
                long e = entered;
                long x = exited;
                QuarkusTransaction.requiringNew().run(() -> jobs.progress(job, p, e, x));
            } while (page.processed() == pageSize);
            recordSizes(active, segment -> sizes.count(segment.id()));
            QuarkusTransaction.requiringNew().run(() -> jobs.finish(job, "completed", clock.instant()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "sweep %s failed", job);
            QuarkusTransaction.requiringNew().run(() -> jobs.finish(job, "failed", clock.instant()));
            throw e;
        }
        return job;
    }

    /**
     * Asks model-service again for every active lookalike segment (outside any transaction: it
     * reads the seed back from this service) and stores each answer with its re-evaluation. When
     * model-service cannot answer, the segment keeps its last membership and the failure is logged.
     */
    private List<Transition> refreshLookalikes() {
        List<Transition> transitions = new java.util.ArrayList<>();
        for (Segment segment : segments.findActive()) {
            if (segment.kind() != SegmentKind.LOOKALIKE) {
                continue;
            }
            LookalikeResult result;
            try {
                result = modelService.lookalikes(segment.definition().lookalike());
            } catch (ModelServiceClient.ModelServiceException e) {
                LOG.warnf("lookalike segment %s keeps its last membership: %s", segment.id(), e.getMessage());
                continue;
            }
            List<Transition> changed = store.refreshLookalike(segment.id(), segment.version(), result);
            metrics.transitions(changed);
            if (!changed.isEmpty()) {
                relay.nudge();
            }
            transitions.addAll(changed);
        }
        return transitions;
    }

    /**
     * Under the streams engine: every task of every instance rescans its views against the current
     * definitions (paged; ageing days-since features), asked through the rescan request in PostgreSQL
     * that each instance's registry follows; the day's sizes are counted from the stores of every
     * instance; lookalike answers are refreshed and top-N% cutoffs recomputed from the stores first.
     */
    private UUID sweepStreams() {
        UUID job = QuarkusTransaction.requiringNew().call(() -> jobs.startSweep(0, clock.instant()));
        try {
            // model-service's new answers are stored with their segments; the registry then sees
            // them changed and every task rescans (no PostgreSQL view exists to re-evaluate here)
            refreshLookalikes();
            cutoffs.refresh();
            registry.requestRescan();
            recordSizes(segments.findActive(), segment -> {
                var counts = streamsMembers.counts(segment.id());
                return new SizeHistoryRepository.Sizes(counts.size(), counts.eligible(), counts.holdout());
            });
            QuarkusTransaction.requiringNew().run(() -> jobs.finish(job, "completed", clock.instant()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "sweep %s failed", job);
            QuarkusTransaction.requiringNew().run(() -> jobs.finish(job, "failed", clock.instant()));
            throw e;
        }
        return job;
    }

    private void recordSizes(List<Segment> active,
            java.util.function.Function<Segment, SizeHistoryRepository.Sizes> count) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        for (Segment segment : active) {
            SizeHistoryRepository.Sizes current = count.apply(segment);
            var previous = sizes.before(segment.id(), today);
            boolean alert = previous.isPresent() && SizeAlert.exceeds(previous.get().sizes().size(), current.size(),
                    alertShare, alertMinimumChange);
            QuarkusTransaction.requiringNew().run(() -> sizes.upsert(segment.id(), today, current, alert, now));
            if (alert) {
                metrics.sizeAlert(segment.id().toString());
                LOG.warnf("segment %s size changed from %d to %d within a day (more than %.0f%%)", segment.id(),
                        previous.get().sizes().size(), current.size(), alertShare * 100);
            }
        }
    }
}
