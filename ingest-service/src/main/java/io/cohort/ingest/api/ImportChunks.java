package io.cohort.ingest.api;

import io.cohort.contracts.EventEnvelope;
import io.cohort.ingest.persistence.ImportJobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Commits one chunk of an import: the chunk's events are claimed and published and the job's
 * progress (offsets, counters, errors) is updated in the same transaction, which commits after the
 * broker's acknowledgement. A crash before the commit re-reads the chunk on resume; its message ids
 * are derived from the job and line, so consumers see the same ids again.
 */
@ApplicationScoped
public class ImportChunks {

    private final EventIntake intake;
    private final ImportJobRepository jobs;
    private final Clock clock;

    public ImportChunks(EventIntake intake, ImportJobRepository jobs, Clock clock) {
        this.intake = intake;
        this.jobs = jobs;
        this.clock = clock;
    }

    @Transactional
    public void commit(UUID job, List<EventEnvelope> events, long charOffset, long lineOffset, long rowsRead,
            long accepted, long rejected, String errorsJson) {
        intake.accept(events);
        jobs.progress(job, charOffset, lineOffset, rowsRead, accepted, rejected, errorsJson, Instant.now(clock));
    }
}
