package io.cohort.segment.messaging;

import io.cohort.segment.persistence.JobRepository;
import io.cohort.segment.persistence.MembershipStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs asynchronous backfills ({@code ?async=true} on create and edit) in the background, one page
 * of views per transaction ({@link MembershipStore#backfillPage}), one backfill at a time. The job
 * ends {@code completed}, {@code cancelled} (the segment was edited or archived meanwhile; the newer
 * change re-evaluates it) or {@code failed}.
 *
 * <p>A job interrupted by a shutdown or crash stays {@code running}; every job records its owner
 * (this process) and a heartbeat every {@code segment.jobs.heartbeat}. At start-up and at every
 * heartbeat, jobs whose owner has been silent for {@code segment.jobs.stale-after} are taken over:
 * a backfill resumes after the last subscriber of its last committed page (pages are idempotent:
 * enter/exit only report real changes, so a page run twice yields no second event), and is
 * cancelled as usual when its segment was edited or archived since; a sweep is marked
 * {@code failed} (the next scheduled sweep covers everything again).
 */
@ApplicationScoped
public class BackfillRunner {

    private static final Logger LOG = Logger.getLogger(BackfillRunner.class);

    private final MembershipStore store;
    private final JobRepository jobs;
    private final MembershipMetrics metrics;
    private final OutboxRelay relay;
    private final Clock clock;
    private final int pageSize;
    @jakarta.inject.Inject
    io.cohort.segment.streaming.EngineConfig engine;
    private final java.time.Duration staleAfter;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "segment-backfill");
        thread.setDaemon(true);
        return thread;
    });

    public BackfillRunner(MembershipStore store, JobRepository jobs, MembershipMetrics metrics, OutboxRelay relay,
            Clock clock, @ConfigProperty(name = "segment.backfill.page-size", defaultValue = "500") int pageSize,
            @ConfigProperty(name = "segment.jobs.stale-after", defaultValue = "PT2M") java.time.Duration staleAfter) {
        this.staleAfter = staleAfter;
        this.store = store;
        this.jobs = jobs;
        this.metrics = metrics;
        this.relay = relay;
        this.clock = clock;
        this.pageSize = pageSize;
    }

    /** Starts the backfill of a committed create or edit. */
    public void start(MembershipStore.AsyncStart started, boolean resyncHoldout) {
        UUID job = started.job();
        UUID segment = started.segment().id();
        int version = started.segment().version();
        executor.submit(() -> run(job, segment, version, "", resyncHoldout));
    }

    void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        try {
            resumeInterrupted();
        } catch (RuntimeException e) {
            LOG.warnf("could not look for interrupted jobs at start-up (retried at the next heartbeat): %s",
                    e.getMessage());
        }
    }

    @io.quarkus.scheduler.Scheduled(every = "${segment.jobs.heartbeat:30s}", identity = "segment-job-heartbeat",
            concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        jobs.heartbeat();
        resumeInterrupted();
    }

    /** Takes over the jobs of dead processes (see the class comment); returns the backfills resumed. */
    public java.util.List<UUID> resumeInterrupted() {
        if (engine.streamsEngine()) {
            // backfills are the stream tasks' rescans there, followed by StreamsBackfills; nothing to resume
            return java.util.List.of();
        }
        java.util.List<UUID> resumed = new java.util.ArrayList<>();
        for (JobRepository.Interrupted job : QuarkusTransaction.requiringNew()
                .call(() -> jobs.claimInterrupted(staleAfter))) {
            if (!"backfill".equals(job.kind()) || job.segmentId() == null || job.segmentVersion() == null) {
                QuarkusTransaction.requiringNew().run(() -> jobs.finish(job.id(), "failed", clock.instant()));
                LOG.infof("job %s (%s) of a stopped process marked failed", job.id(), job.kind());
                continue;
            }
            String after = job.resumeAfter() == null ? "" : job.resumeAfter();
            LOG.infof("resuming backfill %s of segment %s v%d left by a stopped process", job.id(), job.segmentId(),
                    job.segmentVersion());
            executor.submit(() -> run(job.id(), job.segmentId(), job.segmentVersion(), after, job.resyncHoldout()));
            resumed.add(job.id());
        }
        return resumed;
    }

    private void run(UUID job, UUID segment, int version, String from, boolean resyncHoldout) {
        try {
            String after = from;
            MembershipStore.BackfillPage page;
            do {
                page = store.backfillPage(job, segment, version, after, pageSize, resyncHoldout);
                if (page.cancelled()) {
                    QuarkusTransaction.requiringNew().run(() -> jobs.finish(job, "cancelled", clock.instant()));
                    LOG.infof("backfill %s of segment %s v%d cancelled: the segment changed", job, segment, version);
                    return;
                }
                after = page.last();
                metrics.transitions(page.transitions());
                if (!page.transitions().isEmpty()) {
                    relay.nudge();
                }
            } while (page.processed() == pageSize);
            QuarkusTransaction.requiringNew().run(() -> jobs.finish(job, "completed", clock.instant()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "backfill %s of segment %s failed", job, segment);
            QuarkusTransaction.requiringNew().run(() -> jobs.finish(job, "failed", clock.instant()));
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
