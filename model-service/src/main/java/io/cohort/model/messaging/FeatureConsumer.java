package io.cohort.model.messaging;

import io.cohort.contracts.FeatureVector;
import io.cohort.model.persistence.FeatureSnapshotRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code cohort.features.v1}: keeps the newest vector per subscriber and scores it with
 * the active clustering. The record is acknowledged (its offset becomes committable) only when
 * this method returns, i.e. after the snapshot transaction committed and any score was published;
 * a failure before that leaves the record to be redelivered, and redelivery changes nothing that
 * was already applied (versions only move forward, unchanged assignments are not re-published).
 */
@ApplicationScoped
public class FeatureConsumer {

    private static final Logger LOG = Logger.getLogger(FeatureConsumer.class);

    private final FeatureSnapshotRepository snapshots;
    private final ScoringService scoring;
    private final Clock clock;
    private final MeterRegistry meters;

    public FeatureConsumer(FeatureSnapshotRepository snapshots, ScoringService scoring, Clock clock,
            MeterRegistry meters) {
        this.snapshots = snapshots;
        this.scoring = scoring;
        this.clock = clock;
        this.meters = meters;
    }

    @Incoming("features-in")
    @Blocking
    public void consume(ConsumerRecord<String, FeatureVector> record) {
        FeatureVector vector = record.value();
        if (vector == null) {
            if (record.key() == null) {
                skip(record, "tombstone without key");
                return;
            }
            scoring.erase(record.key());
            count("erased");
            return;
        }
        String problem = problem(record.key(), vector);
        if (problem != null) {
            skip(record, problem);
            return;
        }
        if (!snapshots.storeIfNewer(vector.subscriberId(), vector.version(), vector.features(), clock.instant())) {
            count("stale");
            return;
        }
        count("stored");
        scoring.score(vector.subscriberId());
    }

    /** Why the vector cannot be used, or null when it can. */
    static String problem(String key, FeatureVector vector) {
        if (vector == FeatureVectorDeserializer.UNREADABLE) {
            return "unreadable value";
        }
        if (vector.subscriberId() == null || vector.subscriberId().isBlank()) {
            return "no subscriberId";
        }
        if (key != null && !key.equals(vector.subscriberId())) {
            return "key differs from subscriberId";
        }
        if (vector.features() == null) {
            return "no features";
        }
        if (vector.schemaVersion() > FeatureVector.SCHEMA_VERSION) {
            return "unsupported schemaVersion " + vector.schemaVersion();
        }
        return null;
    }

    private void skip(ConsumerRecord<String, FeatureVector> record, String why) {
        // partition and offset locate the record for an operator without logging personal data
        LOG.warnf("skipping record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), why);
        count("skipped");
    }

    private void count(String outcome) {
        meters.counter("cohort.model.features", "outcome", outcome).increment();
    }
}
