package io.cohort.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Map;

/**
 * The whole current feature vector of one subscriber on {@link Topics#FEATURES} (compacted, keyed
 * by subscriber id). {@code version} grows with every change, so consumers keep only the newest
 * and a redelivered or reordered record changes nothing. A null record value is an erasure tombstone.
 * {@code labels} carries the categorical features ({@link FeatureNames#RFM_GROUP},
 * {@link FeatureNames#LIFECYCLE_STAGE}, ...); it is absent in records written before it existed.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FeatureVector(
        int schemaVersion,
        String subscriberId,
        long version,
        Instant computedAt,
        Map<String, Double> features,
        Map<String, String> labels) {

    public static final int SCHEMA_VERSION = 1;

    /** A vector without categorical features. */
    public FeatureVector(int schemaVersion, String subscriberId, long version, Instant computedAt,
            Map<String, Double> features) {
        this(schemaVersion, subscriberId, version, computedAt, features, null);
    }

    /** The categorical features; never null (an old record without labels has none). */
    public Map<String, String> labelsOrEmpty() {
        return labels == null ? Map.of() : labels;
    }
}
