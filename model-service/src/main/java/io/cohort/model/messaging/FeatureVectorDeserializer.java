package io.cohort.model.messaging;

import io.cohort.contracts.FeatureVector;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Reads {@link FeatureVector} JSON. A null value stays null (an erasure tombstone); a value that is
 * not a readable feature vector becomes {@link #UNREADABLE}, so one poison record is logged and
 * skipped instead of stopping the channel — and is never mistaken for a tombstone.
 */
public class FeatureVectorDeserializer extends ObjectMapperDeserializer<FeatureVector> {

    /** Stands for a record whose value could not be read. Compared by identity. */
    public static final FeatureVector UNREADABLE = new FeatureVector(0, null, -1, null, Map.of());

    private static final Logger LOG = Logger.getLogger(FeatureVectorDeserializer.class);

    public FeatureVectorDeserializer() {
        super(FeatureVector.class);
    }

    @Override
    public FeatureVector deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            FeatureVector vector = super.deserialize(topic, data);
            return vector == null ? UNREADABLE : vector;
        } catch (RuntimeException e) {
            // the consumer logs the skip with partition and offset; the value may hold personal data,
            // so only its size and the error type are logged here
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.debugf("unreadable %d-byte record on %s: %s", data.length, topic, cause.getClass().getSimpleName());
            return UNREADABLE;
        }
    }
}
