package io.cohort.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * The latest model outputs for one subscriber on {@link Topics#SCORES} (compacted, keyed by
 * subscriber id). {@code featureVersion} is the feature vector version the scores were computed
 * from; consumers keep the record with the highest ({@code featureVersion}, {@code scoredAt}).
 * {@code scores} holds named numeric outputs (propensities, CLV, P(alive), send hour) keyed by
 * model family; {@code modelVersions} says which version produced each. A null value is an
 * erasure tombstone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubscriberScores(
        int schemaVersion,
        String subscriberId,
        long featureVersion,
        Instant scoredAt,
        ClusterAssignment cluster,
        Map<String, Double> scores,
        Map<String, Integer> modelVersions) {

    public static final int SCHEMA_VERSION = 1;
}
