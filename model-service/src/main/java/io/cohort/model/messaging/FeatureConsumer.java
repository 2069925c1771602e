package io.cohort.model.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.FeatureVector;
import io.cohort.model.persistence.FeatureSnapshot;
import io.cohort.model.persistence.FeatureSnapshotRepository;
import io.cohort.support.FailureKind;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code cohort.features.v1} a poll at a time ({@code batch=true}): keeps the newest vector
 * per subscriber and scores it with every active version. A poll's vectors are stored in one
 * transaction (each subscriber's newest one, with one multi-row upsert: {@link
 * FeatureSnapshotRepository#storeAllIfNewer}), then scored with one read of the active models and
 * published; the poll is acknowledged (its offsets become committable) only when this method
 * returns, i.e. after the snapshots committed and the scores were acked. A tombstone (erasure
 * upstream) ends the run of vectors before it, which is stored and scored first, so order per
 * subscriber is kept.
 *
 * <p>Failures ({@link RecordOutcomes}): an unreadable or inconsistent record is dead-lettered at
 * once; a transient failure of a step is retried with backoff and, if it outlasts that, thrown (the
 * poll is redelivered); a permanent failure of the batch (e.g. PostgreSQL refusing one vector's
 * NUL) applies the run again vector by vector, each in its own transaction, and dead-letters only
 * the vectors that fail, so one poison record holds back no one. Redelivery changes nothing already
 * applied: versions only move forward, and a vector found stored ({@code CURRENT}: the process may
 * have died before publishing) is scored again, publishing only what differs from the last
 * published score. A vector of a subscriber erased at or after its computedAt is dropped
 * (suppression register, {@link ErasureConsumer}).
 */
@ApplicationScoped
public class FeatureConsumer {

    static final String CHANNEL = "features-in";
    private static final Logger LOG = Logger.getLogger(FeatureConsumer.class);

    private final FeatureSnapshotRepository snapshots;
    private final ScoringService scoring;
    private final RecordOutcomes outcomes;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry meters;
    private final DistributionSummary pollSizes;

    public FeatureConsumer(FeatureSnapshotRepository snapshots, ScoringService scoring, RecordOutcomes outcomes,
            ObjectMapper json, Clock clock, MeterRegistry meters) {
        this.snapshots = snapshots;
        this.scoring = scoring;
        this.outcomes = outcomes;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
        this.pollSizes = DistributionSummary.builder("cohort.model.features.poll.records")
                .description("records per poll of cohort.features.v1").register(meters);
    }

    /** One usable vector and the record it came in. */
    private record Pending(ConsumerRecord<String, byte[]> record, FeatureVector vector) {

        String subscriberId() {
            return vector.subscriberId();
        }
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        pollSizes.record(records.count());
        List<Pending> run = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            if (record.value() == null && record.key() == null) {
                // a keyless tombstone names nobody and carries nothing to inspect or replay
                LOG.warnf("skipping %s-%d@%d: tombstone without key", record.topic(), record.partition(),
                        record.offset());
                count("skipped", 1);
                continue;
            }
            if (record.value() == null) {
                applyRun(run);
                run.clear();
                outcomes.apply(CHANNEL, record, () -> erase(record));
                continue;
            }
            try {
                run.add(new Pending(record, usable(record)));
            } catch (UnusableRecord e) {
                outcomes.deadLetter(CHANNEL, record, e);
            }
        }
        applyRun(run);
    }

    private void erase(ConsumerRecord<String, byte[]> record) {
        outcomes.retrying(CHANNEL, record, () -> {
            scoring.erase(record.key());
            return null;
        });
        count("erased", 1);
    }

    /** Stores a run of vectors (no tombstone among them) in one transaction, then scores and publishes them. */
    private void applyRun(List<Pending> run) {
        if (run.isEmpty()) {
            return;
        }
        // each subscriber's newest vector of the run; an older or equal one of the same poll is superseded
        Map<String, Pending> newest = new LinkedHashMap<>();
        int superseded = 0;
        for (Pending pending : run) {
            Pending before = newest.get(pending.subscriberId());
            if (before == null || before.vector().version() < pending.vector().version()) {
                newest.put(pending.subscriberId(), pending);
            }
            superseded += before == null ? 0 : 1;
        }
        ConsumerRecord<String, byte[]> first = run.get(0).record();
        String where = run.size() + " vectors from " + first.topic() + "-" + first.partition() + "@" + first.offset();
        List<FeatureSnapshotRepository.Offered> offered = newest.values().stream()
                .map(p -> new FeatureSnapshotRepository.Offered(p.subscriberId(), p.vector().version(),
                        p.vector().computedAt(), p.vector().features()))
                .toList();
        Map<String, FeatureSnapshotRepository.Stored> stored;
        try {
            stored = outcomes.retrying(CHANNEL, where, () -> snapshots.storeAllIfNewer(offered, clock.instant()));
        } catch (RuntimeException e) {
            if (FailureKind.of(e) == FailureKind.TRANSIENT) {
                throw e; // outlasted the retries: the poll is redelivered
            }
            LOG.warnf("storing %s failed (%s); applying them one by one", where, e.getClass().getSimpleName());
            run.forEach(pending -> outcomes.apply(CHANNEL, pending.record(), () -> applyOne(pending)));
            return;
        }
        count("superseded", superseded);
        List<Pending> toScore = new ArrayList<>(newest.size());
        for (Pending pending : newest.values()) {
            FeatureSnapshotRepository.Stored outcome = stored.getOrDefault(pending.subscriberId(),
                    FeatureSnapshotRepository.Stored.STALE);
            count(outcome.name().toLowerCase(Locale.ROOT), 1);
            // CURRENT: this version was stored before, but the process may have died before scoring it;
            // scoring again publishes only what differs from the last published score, so it is safe
            if (outcome == FeatureSnapshotRepository.Stored.STORED || outcome == FeatureSnapshotRepository.Stored.CURRENT) {
                toScore.add(pending);
            }
        }
        try {
            outcomes.retrying(CHANNEL, where, () -> scoring.scoreAll(toScore.stream().map(FeatureConsumer::snapshot)
                    .toList()));
        } catch (RuntimeException e) {
            if (FailureKind.of(e) == FailureKind.TRANSIENT) {
                throw e;
            }
            // the snapshots are stored: score them one by one, dead-lettering only the vector that fails
            LOG.warnf("scoring %s failed (%s); scoring them one by one", where, e.getClass().getSimpleName());
            toScore.forEach(pending -> outcomes.apply(CHANNEL, pending.record(),
                    () -> outcomes.retrying(CHANNEL, pending.record(), () -> scoring.scoreAll(List.of(snapshot(pending))))));
        }
    }

    /** One vector in its own transaction (the fallback when its batch failed permanently). */
    private void applyOne(Pending pending) {
        FeatureVector vector = pending.vector();
        FeatureSnapshotRepository.Stored stored = outcomes.retrying(CHANNEL, pending.record(),
                () -> snapshots.storeIfNewer(vector.subscriberId(), vector.version(), vector.computedAt(),
                        vector.features(), clock.instant()));
        count(stored.name().toLowerCase(Locale.ROOT), 1);
        if (stored == FeatureSnapshotRepository.Stored.STORED || stored == FeatureSnapshotRepository.Stored.CURRENT) {
            outcomes.retrying(CHANNEL, pending.record(), () -> scoring.score(vector.subscriberId()));
        }
    }

    private static FeatureSnapshot snapshot(Pending pending) {
        return new FeatureSnapshot(pending.subscriberId(), pending.vector().version(), pending.vector().features());
    }

    /** The record's vector; throws {@link UnusableRecord} when it cannot be used. */
    private FeatureVector usable(ConsumerRecord<String, byte[]> record) {
        FeatureVector vector = read(record.value());
        String problem = problem(record.key(), vector);
        if (problem != null) {
            throw new UnusableRecord(problem);
        }
        return vector;
    }

    private FeatureVector read(byte[] value) {
        try {
            FeatureVector vector = json.readValue(value, FeatureVector.class);
            if (vector == null) {
                throw new UnusableRecord("the value is JSON null");
            }
            return vector;
        } catch (IOException e) {
            // the parser's message may quote the payload (personal data): only its type travels on
            throw new UnusableRecord("unreadable feature vector (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Why the vector cannot be used, or null when it can. */
    static String problem(String key, FeatureVector vector) {
        if (vector.subscriberId() == null || vector.subscriberId().isBlank()) {
            return "no subscriberId";
        }
        if (key != null && !key.equals(vector.subscriberId())) {
            return "key differs from subscriberId";
        }
        if (vector.features() == null) {
            return "no features";
        }
        if (vector.features().values().stream().anyMatch(v -> v != null && !Double.isFinite(v))) {
            return "non-finite feature value"; // e.g. 1e400: JSON and jsonb have no infinity
        }
        if (vector.schemaVersion() > FeatureVector.SCHEMA_VERSION) {
            return "unsupported schemaVersion " + vector.schemaVersion();
        }
        return null;
    }

    private void count(String outcome, int records) {
        if (records > 0) {
            meters.counter("cohort.model.features", "outcome", outcome).increment(records);
        }
    }
}
