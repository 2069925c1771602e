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
 * change re-evaluates it) or {@code failed}. A job interrupted by a shutdown stays {@code running}.
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
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "segment-backfill");
        thread.setDaemon(true);
        return thread;
    });

    public BackfillRunner(MembershipStore store, JobRepository jobs, MembershipMetrics metrics, OutboxRelay relay,
            Clock clock, @ConfigProperty(name = "segment.backfill.page-size", defaultValue = "500") int pageSize) {
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
        executor.submit(() -> run(job, segment, version, resyncHoldout));
    }

    private void run(UUID job, UUID segment, int version, boolean resyncHoldout) {
        try {
            String after = "";
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
