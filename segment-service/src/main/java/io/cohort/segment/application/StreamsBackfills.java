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

/**
 * Under the streams engine, follows every running backfill job to its end: its processed/total
 * are the stream tasks' rescan progress summed over every instance ({@link BackfillProgress}), and
 * it is completed once every task has evaluated its views against the job's segment version,
 * cancelled when the segment was edited or archived meanwhile (the newer change has its own job or
 * exits the members). Any replica may do it; the writes are idempotent.
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
            Optional<Segment> segment = segments.findById(job.segmentId());
            if (segment.isEmpty() || segment.get().archived() || segment.get().version() != job.segmentVersion()) {
                QuarkusTransaction.requiringNew().run(() -> jobs.finish(job.id(), "cancelled", clock.instant()));
                continue;
            }
            BackfillProgress.Progress now;
            try {
                now = progress.everywhere(job.segmentId(), job.segmentVersion());
            } catch (StreamsUnavailableException e) {
                continue; // restoring or rebalancing: asked again at the next check
            }
            QuarkusTransaction.requiringNew().run(() -> {
                jobs.progressOf(job.id(), now.processed(), now.total());
                if (now.complete()) {
                    jobs.finish(job.id(), "completed", clock.instant());
                }
            });
        }
    }
}
