package io.cohort.model.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.FeatureVector;
import io.cohort.model.persistence.FeatureSnapshotRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code cohort.features.v1}: keeps the newest vector per subscriber and scores it with
 * every active version. The record is acknowledged (its offset becomes committable) only when this
 * method returns, i.e. after the snapshot transaction committed and any score was published, or the
 * record was dead-lettered ({@link RecordOutcomes}: unreadable or inconsistent records and permanent
 * failures; transient ones are retried). Redelivery changes nothing already applied (versions only
 * move forward, unchanged assignments are not re-published). A vector of a subscriber erased at or
 * after its computedAt is dropped (suppression register, {@link ErasureConsumer}).
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

    public FeatureConsumer(FeatureSnapshotRepository snapshots, ScoringService scoring, RecordOutcomes outcomes,
            ObjectMapper json, Clock clock, MeterRegistry meters) {
        this.snapshots = snapshots;
        this.scoring = scoring;
        this.outcomes = outcomes;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null && record.key() == null) {
            // a keyless tombstone names nobody and carries nothing to inspect or replay
            LOG.warnf("skipping %s-%d@%d: tombstone without key", record.topic(), record.partition(), record.offset());
            count("skipped");
            return;
        }
        outcomes.apply(CHANNEL, record, () -> apply(record));
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            outcomes.retrying(CHANNEL, record, () -> {
                scoring.erase(record.key());
                return null;
            });
            count("erased");
            return;
        }
        FeatureVector vector = read(record.value());
        String problem = problem(record.key(), vector);
        if (problem != null) {
            throw new UnusableRecord(problem);
        }
        FeatureSnapshotRepository.Stored stored = outcomes.retrying(CHANNEL, record, () -> snapshots.storeIfNewer(
                vector.subscriberId(), vector.version(), vector.computedAt(), vector.features(), clock.instant()));
        count(stored.name().toLowerCase(java.util.Locale.ROOT));
        // CURRENT: this version was stored before, but the process may have died before scoring it;
        // scoring again publishes only what differs from the last published score, so it is safe
        if (stored == FeatureSnapshotRepository.Stored.STORED || stored == FeatureSnapshotRepository.Stored.CURRENT) {
            outcomes.retrying(CHANNEL, record, () -> scoring.score(vector.subscriberId()));
        }
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

    private void count(String outcome) {
        meters.counter("cohort.model.features", "outcome", outcome).increment();
    }
}
