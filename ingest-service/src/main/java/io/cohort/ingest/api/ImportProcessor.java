package io.cohort.ingest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.http.FieldViolation;
import io.cohort.ingest.domain.EventValidator;
import io.cohort.ingest.domain.ValidationResult;
import io.cohort.ingest.domain.csv.CsvRecordReader;
import io.cohort.ingest.domain.csv.CsvRows;
import io.cohort.ingest.persistence.ImportJobRepository;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs CSV import jobs, one at a time, on their own thread: reads the stored file from the job's
 * committed offset, maps and validates each row, and commits every {@code cohort.ingest.imports.chunk-rows}
 * rows through {@link ImportChunks}. At start-up, and every {@code cohort.ingest.imports.rescan}, the
 * unfinished jobs whose file this replica holds are claimed and resumed: a job is claimed atomically
 * ({@link ImportJobRepository#claim}), so another live replica's job (its heartbeat is each chunk's
 * progress) is never taken over nor failed; one whose replica stopped is taken over after
 * {@code cohort.ingest.imports.stale-after}. A job whose file no replica has made progress with for
 * {@code cohort.ingest.imports.orphan-after} is failed as orphaned.
 */
@ApplicationScoped
public class ImportProcessor {

    private static final Logger LOG = Logger.getLogger(ImportProcessor.class);
    private static final TypeReference<List<String>> HEADER = new TypeReference<>() {
    };
    private static final TypeReference<List<ImportError>> ERRORS = new TypeReference<>() {
    };

    private final ImportJobRepository jobs;
    private final ImportChunks chunks;
    private final ObjectMapper json;
    private final Clock clock;
    private final int chunkRows;
    private final int maxErrors;
    private final Duration staleAfter;
    private final Duration orphanAfter;
    /** This replica in job claims: the pod name where there is one (stable across container restarts). */
    private final String owner = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank())
            .orElseGet(() -> "ingest-" + UUID.randomUUID());
    /** Jobs handed to the executor and not finished yet, so a rescan does not queue them again. */
    private final Set<UUID> submitted = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "cohort-import");
        thread.setDaemon(true);
        return thread;
    });
    /** Commits chunks while the job's thread reads the next one; one chunk in flight, in order. */
    private final ExecutorService committer = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "cohort-import-commit");
        thread.setDaemon(true);
        return thread;
    });

    public ImportProcessor(ImportJobRepository jobs, ImportChunks chunks, ObjectMapper json, Clock clock,
            @ConfigProperty(name = "cohort.ingest.imports.chunk-rows", defaultValue = "1000") int chunkRows,
            @ConfigProperty(name = "cohort.ingest.imports.max-errors", defaultValue = "100") int maxErrors,
            @ConfigProperty(name = "cohort.ingest.imports.stale-after", defaultValue = "PT2M") Duration staleAfter,
            @ConfigProperty(name = "cohort.ingest.imports.orphan-after", defaultValue = "PT24H") Duration orphanAfter) {
        this.jobs = jobs;
        this.chunks = chunks;
        this.json = json;
        this.clock = clock;
        this.chunkRows = chunkRows;
        this.maxErrors = maxErrors;
        this.staleAfter = staleAfter;
        this.orphanAfter = orphanAfter;
    }

    /** One refused row: its first line in the file and why. */
    @RegisterForReflection
    public record ImportError(long line, String message) {
    }

    void resumeUnfinished(@Observes StartupEvent start) {
        int unfinished = resumeUnfinished();
        if (unfinished > 0) {
            LOG.infof("%d unfinished import job(s): resuming those whose file is here", unfinished);
        }
    }

    @Scheduled(every = "${cohort.ingest.imports.rescan:60s}", delayed = "${cohort.ingest.imports.rescan:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void rescan() {
        resumeUnfinished();
    }

    /** Hands every unfinished job to the executor once; {@link #run} decides whether this replica may run it. */
    int resumeUnfinished() {
        List<UUID> unfinished = jobs.unfinished();
        unfinished.forEach(this::submit);
        return unfinished.size();
    }

    public void submit(UUID id) {
        if (submitted.add(id)) {
            executor.submit(() -> {
                try {
                    run(id);
                } finally {
                    submitted.remove(id);
                }
            });
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
        committer.shutdownNow();
    }

    /** Runs (or resumes) the job to its end on the calling thread. */
    public void run(UUID id) {
        ImportJobRepository.Job job = jobs.find(id).orElse(null);
        if (job == null || ImportJobRepository.COMPLETED.equals(job.status())
                || ImportJobRepository.FAILED.equals(job.status())) {
            return;
        }
        Path file = Path.of(job.filePath());
        Instant now = Instant.now(clock);
        if (!Files.exists(file)) {
            // another replica holds the file (the imports directory is per pod) unless nobody made progress for long
            if (job.updatedAt().isBefore(now.minus(orphanAfter))) {
                jobs.status(id, ImportJobRepository.FAILED, "the uploaded file is on no live replica (no progress since "
                        + job.updatedAt() + ")", now);
            }
            return;
        }
        if (!jobs.claim(id, owner, now, now.minus(staleAfter))) {
            return; // a live replica runs it
        }
        try {
            process(job, file);
        } catch (Exception e) {
            LOG.errorf("import %s failed: %s", id, e.getClass().getName());
            jobs.status(id, ImportJobRepository.FAILED, "the import stopped (" + e.getClass().getSimpleName()
                    + "); committed rows stay published", Instant.now(clock));
        }
    }

    private void process(ImportJobRepository.Job job, Path file) throws Exception {
        UUID id = job.id();
        CsvRows.Kind kind = CsvRows.Kind.parse(job.kind());
        List<String> header = job.header() == null ? null : json.readValue(job.header(), HEADER);
        List<ImportError> errors = new ArrayList<>(json.readValue(job.errors(), ERRORS));
        long rowsRead = job.rowsRead();
        long accepted = job.accepted();
        long rejected = job.rejected();
        EventValidator validator = new EventValidator();
        // Pipelined: chunk n commits on the committer thread while this thread reads and maps chunk
        // n + 1. At most one commit is in flight and each waits for the previous one, so offsets
        // still commit in file order and a failed commit stops the job before anything after it.
        Future<?> inFlight = null;
        try (CsvRecordReader reader = new CsvRecordReader(file, job.charOffset(), job.lineOffset())) {
            List<EventEnvelope> chunk = new ArrayList<>();
            int rowsInChunk = 0;
            CsvRecordReader.Record last = null;
            Instant receivedAt = Instant.now(clock);
            CsvRecordReader.Record record;
            while ((record = reader.next()) != null) {
                if (header == null) {
                    String problem = record.error() != null ? record.error()
                            : CsvRows.checkHeader(kind, CsvRows.cleanHeader(record.values()));
                    if (problem != null) {
                        jobs.status(id, ImportJobRepository.FAILED, "line " + record.line() + " (header): " + problem,
                                Instant.now(clock));
                        return;
                    }
                    header = CsvRows.cleanHeader(record.values());
                    jobs.header(id, json.writeValueAsString(header), record.nextCharOffset(), record.nextLineOffset(),
                            Instant.now(clock));
                    continue;
                }
                rowsRead++;
                rowsInChunk++;
                last = record;
                String error = record.error();
                List<EventEnvelope> rowEvents = new ArrayList<>(2);
                if (error == null) {
                    CsvRows.Mapped mapped = CsvRows.map(kind, header, record.values(), "imp-" + id + "-" + record.line());
                    error = mapped.error();
                    if (error == null) {
                        for (Map<String, Object> call : mapped.calls()) {
                            ValidationResult result = validator.validate(call, null, "", Map.of(), receivedAt);
                            if (!result.isValid()) {
                                error = describe(result.errors());
                                break;
                            }
                            rowEvents.add(result.envelope());
                        }
                    }
                }
                if (error == null) {
                    accepted++;
                    chunk.addAll(rowEvents);
                } else {
                    rejected++;
                    if (errors.size() < maxErrors) {
                        errors.add(new ImportError(record.line(), error));
                    }
                }
                if (rowsInChunk >= chunkRows) {
                    awaitCommit(inFlight);
                    inFlight = commitAsync(id, chunk, record.nextCharOffset(), record.nextLineOffset(), rowsRead,
                            accepted, rejected, json.writeValueAsString(errors));
                    chunk = new ArrayList<>();
                    rowsInChunk = 0;
                    receivedAt = Instant.now(clock);
                }
            }
            awaitCommit(inFlight);
            inFlight = null;
            if (rowsInChunk > 0) {
                chunks.commit(id, chunk, last.nextCharOffset(), last.nextLineOffset(), rowsRead, accepted, rejected,
                        json.writeValueAsString(errors));
            }
        } finally {
            if (inFlight != null) {
                // reading failed: let the chunk already handed over finish before the job is marked failed
                try {
                    inFlight.get();
                } catch (ExecutionException | InterruptedException ignored) {
                    // the job fails with the reader's exception either way
                }
            }
        }
        jobs.status(id, ImportJobRepository.COMPLETED, null, Instant.now(clock));
        Files.deleteIfExists(file);
        LOG.infof("import %s completed: %d rows, %d accepted, %d rejected", id, rowsRead, accepted, rejected);
    }

    private Future<?> commitAsync(UUID id, List<EventEnvelope> chunk, long charOffset, long lineOffset, long rowsRead,
            long accepted, long rejected, String errorsJson) {
        return committer.submit(() -> chunks.commit(id, chunk, charOffset, lineOffset, rowsRead, accepted, rejected,
                errorsJson));
    }

    private static void awaitCommit(Future<?> commit) throws Exception {
        if (commit == null) {
            return;
        }
        try {
            commit.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static String describe(List<FieldViolation> violations) {
        return violations.stream().map(v -> v.pointer() + ": " + v.message()).collect(Collectors.joining("; "));
    }

    List<ImportError> errorsOf(String errorsJson) {
        try {
            return json.readValue(errorsJson, ERRORS);
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }
}
