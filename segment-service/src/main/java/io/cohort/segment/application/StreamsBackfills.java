package io.cohort.segment.application;

import io.cohort.segment.domain.Segment;
import io.cohort.segment.persistence.JobRepository;
import io.cohort.segment.persistence.SegmentRepository;
import io.cohort.segment.streaming.BackfillProgress;
import io.cohort.segment.streaming.EngineConfig;
import io.cohort.segment.streaming.StreamsUnavailableException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Under the streams engine, follows every running backfill job to its end: its processed/total
 * are the stream tasks' rescan progress summed over every instance ({@link BackfillProgress}), and
 * it is completed once every task has evaluated its views against the job's segment version,
 * cancelled when the segment was edited or archived meanwhile (the newer change has its own job or
 * exits the members). Any replica may do it; the writes are idempotent. A synchronous create or edit
 * waits here for its own job ({@link #awaitEnd}), bounded by {@code cohort.segment.streams.backfill-wait}.
 * The job's entered/exited are the transitions the tasks' rescans produced for its segment version.
 */
@ApplicationScoped
public class StreamsBackfills {

    private final EngineConfig config;
    private final JobRepository jobs;
    private final SegmentRepository segments;
    private final BackfillProgress progress;
    private final Clock clock;

    public StreamsBackfills(EngineConfig config, JobRepository jobs, SegmentRepository segments,
            BackfillProgress progress, Clock clock) {
        this.config = config;
        this.jobs = jobs;
        this.segments = segments;
        this.progress = progress;
        this.clock = clock;
    }

    @Scheduled(every = "${cohort.segment.streams.backfill-check:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "segment-streams-backfills")
    void track() {
        if (!config.streamsEngine()) {
            return;
        }
        for (JobRepository.Job job : jobs.runningBackfills()) {
            follow(job);
        }
    }

    /** {@link #awaitEnd(UUID, java.time.Duration)} bounded by {@code cohort.segment.streams.backfill-wait}. */
    public Optional<JobRepository.Job> awaitEnd(UUID jobId) {
        return awaitEnd(jobId, config.streams().backfillWait());
    }

    /**
     * A synchronous create or edit under streams: waits until the job has ended (following it here
     * every {@code backfill-wait-poll}, not only at the scheduled check) for at most {@code bound}
     * ({@code cohort.segment.streams.backfill-wait} for the API). Returns the ended job, or empty when it
     * is still running after that (the caller answers 202).
     */
    public Optional<JobRepository.Job> awaitEnd(UUID jobId, java.time.Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            Optional<JobRepository.Job> job = jobs.find(jobId);
            if (job.isEmpty() || !"running".equals(job.get().status())) {
                return job;
            }
            follow(job.get());
            job = jobs.find(jobId);
            if (job.isEmpty() || !"running".equals(job.get().status())) {
                return job;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            try {
                Thread.sleep(Math.min(config.streams().backfillWaitPoll().toMillis(), Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** Brings one running backfill up to date with the tasks: progress, transitions, and its end when it has one. */
    private void follow(JobRepository.Job job) {
        Optional<Segment> segment = segments.findById(job.segmentId());
        if (segment.isEmpty() || segment.get().archived() || segment.get().version() != job.segmentVersion()) {
            QuarkusTransaction.requiringNew().run(() -> jobs.finish(job.id(), "cancelled", clock.instant()));
            return;
        }
        BackfillProgress.Progress now;
        try {
            now = progress.everywhere(job.segmentId(), job.segmentVersion());
        } catch (StreamsUnavailableException e) {
            return; // restoring or rebalancing: asked again at the next check
        }
        QuarkusTransaction.requiringNew().run(() -> {
            jobs.progressOf(job.id(), now.processed(), now.total(), now.entered(), now.exited());
            if (now.complete()) {
                jobs.finish(job.id(), "completed", clock.instant());
            }
        });
    }
}
