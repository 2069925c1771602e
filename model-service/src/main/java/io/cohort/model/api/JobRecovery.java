package io.cohort.model.api;

import io.cohort.model.persistence.TrainingJobRepository;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Training jobs run in the memory of the process that accepted them, so a job left {@code queued} or
 * {@code running} by a stopped process never finishes. Every process heartbeats its own unfinished
 * jobs ({@code cohort.model.jobs.heartbeat}, 30 s) and, at startup and on every heartbeat, fails the
 * jobs of other processes that have not heartbeaten for {@code cohort.model.jobs.stale-after} (2 min)
 * with the error "interrupted by restart". Jobs of live replicas (or of a batch CronJob pod) keep
 * heartbeating and are left alone.
 */
@ApplicationScoped
public class JobRecovery {

    private static final Logger LOG = Logger.getLogger(JobRecovery.class);

    private final TrainingJobRepository jobs;
    private final Clock clock;
    private final Duration staleAfter;

    public JobRecovery(TrainingJobRepository jobs, Clock clock,
            @ConfigProperty(name = "cohort.model.jobs.stale-after", defaultValue = "PT2M") Duration staleAfter) {
        this.jobs = jobs;
        this.clock = clock;
        this.staleAfter = staleAfter;
    }

    void onStart(@Observes StartupEvent event) {
        failInterrupted();
    }

    @Scheduled(every = "{cohort.model.jobs.heartbeat}", delay = 30, delayUnit = java.util.concurrent.TimeUnit.SECONDS,
            identity = "model-job-heartbeat", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        jobs.heartbeat(clock.instant());
        failInterrupted();
    }

    /** Fails the stale unfinished jobs of stopped processes; returns how many. */
    public int failInterrupted() {
        Instant now = clock.instant();
        int failed = jobs.failInterrupted(now.minus(staleAfter), now);
        if (failed > 0) {
            LOG.warnf("failed %d training job(s) left unfinished by a stopped process (%s)", failed,
                    TrainingJobRepository.INTERRUPTED);
        }
        return failed;
    }
}
