package io.cohort.segment.streaming;

import io.cohort.segment.domain.ActiveSegments;
import io.cohort.segment.domain.Segment;
import io.cohort.segment.persistence.RescanRequests;
import io.cohort.segment.persistence.SegmentRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The active segment definitions in memory for the streams engine. Definitions are edited by
 * people through the API and stay in PostgreSQL; this registry loads them on first use and compares
 * their fingerprints (version, status, cutoff, lookalike answer) every
 * {@code cohort.segment.streams.definitions-refresh}, reloading on any change, so every replica
 * follows edits made on any replica. A sweep's rescan request ({@link RescanRequests}) is followed
 * the same way, so every instance's tasks rescan. Stream threads only read the current immutable snapshot.
 */
@ApplicationScoped
public class SegmentRegistry implements Supplier<ActiveSegments> {

    private static final Logger LOG = Logger.getLogger(SegmentRegistry.class);

    private final SegmentRepository segments;
    private final RescanRequests rescans;
    private final EngineConfig config;
    private volatile ActiveSegments current;
    private volatile Map<UUID, String> fingerprints = Map.of();
    private volatile long rescanGeneration = -1;

    public SegmentRegistry(SegmentRepository segments, RescanRequests rescans, EngineConfig config) {
        this.segments = segments;
        this.rescans = rescans;
        this.config = config;
    }

    @Override
    public ActiveSegments get() {
        ActiveSegments snapshot = current;
        if (snapshot == null) {
            synchronized (this) {
                if (current == null) {
                    reload();
                }
                snapshot = current;
            }
        }
        return snapshot;
    }

    @Scheduled(every = "${cohort.segment.streams.definitions-refresh:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        if (!config.streamsEngine()) {
            return;
        }
        try {
            if (current == null || !segments.fingerprints().equals(fingerprints)
                    || rescans.generation() != rescanGeneration) {
                synchronized (this) {
                    reload();
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("segment definitions not refreshed, keeping the last ones: %s", e.getMessage());
        }
    }

    /**
     * Asks every instance's tasks to rescan their views (the streams form of the sweep: days-since
     * features age, so memberships are decided again): the request's generation is raised in
     * PostgreSQL, which every instance's registry notices within {@code definitions-refresh} as it
     * notices changed definitions; this instance reloads at once.
     */
    public synchronized void requestRescan() {
        rescans.request();
        reload();
    }

    /** The generation of the definitions in force here (grows with every change and rescan request noticed). */
    public long generation() {
        return get().generation();
    }

    private void reload() {
        long requested = rescans.generation();
        Map<UUID, String> seen = segments.fingerprints();
        List<Segment> active = segments.findActive();
        // lookalike answers are bounded (targetSize ≤ 100,000 each) and change only on create, edit or sweep
        Map<UUID, Map<String, Double>> similarities = new java.util.HashMap<>();
        for (Segment segment : active) {
            if (segment.kind() == io.cohort.segment.domain.SegmentKind.LOOKALIKE) {
                similarities.put(segment.id(), segments.lookalikeSimilarities(segment.id()));
            }
        }
        long generation = current == null ? 1 : current.generation() + 1;
        fingerprints = seen;
        rescanGeneration = requested;
        current = new ActiveSegments(generation, active, similarities);
        LOG.debugf("segment definitions generation %d: %d active", generation, active.size());
    }
}
