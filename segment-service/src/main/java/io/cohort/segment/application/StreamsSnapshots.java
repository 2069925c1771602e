package io.cohort.segment.application;

import io.cohort.segment.domain.Segment;
import io.cohort.segment.persistence.SnapshotRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/**
 * A snapshot under the streams engine: the members (with holdout and suppression flags) are read
 * from the stores of every instance, in subscriber order, and frozen in PostgreSQL like the
 * PostgreSQL path's snapshots, in one transaction (a failed read leaves no partial snapshot).
 */
@ApplicationScoped
public class StreamsSnapshots {

    private final SnapshotRepository snapshots;
    private final Clock clock;

    public StreamsSnapshots(SnapshotRepository snapshots, Clock clock) {
        this.snapshots = snapshots;
        this.clock = clock;
    }

    /** {@code members} hands every member to the sink it is given. */
    @Transactional
    public SnapshotRepository.Snapshot take(Segment segment, String label,
            Consumer<Consumer<SnapshotRepository.Member>> members) {
        return snapshots.take(segment, label, clock.instant().truncatedTo(ChronoUnit.MICROS), members);
    }
}
