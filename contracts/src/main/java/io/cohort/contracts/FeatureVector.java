package io.cohort.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Map;

/**
 * The whole current feature vector of one subscriber on {@link Topics#FEATURES} (compacted, keyed
 * by subscriber id). {@code version} grows with every change, so consumers keep only the newest
 * and a redelivered or reordered record changes nothing. A null record value is an erasure tombstone.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FeatureVector(
        int schemaVersion,
        String subscriberId,
        long version,
        Instant computedAt,
        Map<String, Double> features) {

    public static final int SCHEMA_VERSION = 1;
}
