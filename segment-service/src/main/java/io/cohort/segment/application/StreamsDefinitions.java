package io.cohort.segment.application;

import io.cohort.segment.domain.LookalikeResult;
import io.cohort.segment.domain.Segment;
import io.cohort.segment.domain.SegmentDefinition;
import io.cohort.segment.persistence.JobRepository;
import io.cohort.segment.persistence.MembershipStore;
import io.cohort.segment.persistence.SegmentRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * Segment create, edit and archive under the streams engine: only the definition (with its history,
 * lookalike answer and a backfill job) is written. No view is read and nothing goes through the
 * outbox: the stream tasks see the new definitions ({@code SegmentRegistry}) and rescan their stores,
 * publishing each transition themselves; {@code StreamsBackfills} follows the job to completion.
 */
@ApplicationScoped
public class StreamsDefinitions {

    private final MembershipStore store;
    private final SegmentRepository segments;
    private final JobRepository jobs;
    private final Clock clock;

    /** {@code store}: only its definition writes, which read no view here (none is in PostgreSQL under streams). */
    public StreamsDefinitions(MembershipStore store, SegmentRepository segments, JobRepository jobs, Clock clock) {
        this.store = store;
        this.segments = segments;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** {@code cutoff}: a top-N% segment's cutoff computed from the stores before this transaction (else null). */
    @Transactional
    public MembershipStore.AsyncStart create(SegmentDefinition definition, LookalikeResult lookalike, Double cutoff) {
        Segment segment = withCutoff(store.insertNew(definition, lookalike), cutoff);
        return new MembershipStore.AsyncStart(segment, jobs.startBackfill(segment, 0, segment.createdAt()));
    }

    /** Empty when there is no such segment; {@link MembershipStore.SegmentArchivedException} when archived. */
    @Transactional
    public Optional<MembershipStore.AsyncStart> update(UUID id, SegmentDefinition definition,
            LookalikeResult lookalike, Double cutoff) {
        return store.changeDefinition(id, definition, lookalike).map(segment -> withCutoff(segment, cutoff))
                .map(segment -> new MembershipStore.AsyncStart(segment, jobs.startBackfill(segment, 0, now(), true)));
    }

    /** The PostgreSQL path's cutoff is computed over PostgreSQL views (none under streams): the stores' replaces it. */
    private Segment withCutoff(Segment segment, Double cutoff) {
        if (!java.util.Objects.equals(segment.cutoff(), cutoff)) {
            segments.setCutoff(segment.id(), cutoff);
        }
        return segment.withCutoff(cutoff);
    }

    /** Archives the segment; its members exit at the tasks' next rescan. Empty when there is no such segment. */
    @Transactional
    public Optional<Segment> archive(UUID id) {
        segments.lockDefinitionsExclusive();
        Optional<Segment> stored = segments.lock(id);
        if (stored.isEmpty() || stored.get().archived()) {
            return stored;
        }
        Segment segment = stored.get();
        segments.archive(id);
        segments.appendHistory(segment, "archived", now());
        return Optional.of(new Segment(id, segment.version(), segment.createdAt(), segment.definition(), true));
    }

    /** PostgreSQL keeps microseconds; truncating keeps what we return equal to what we read back later. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
