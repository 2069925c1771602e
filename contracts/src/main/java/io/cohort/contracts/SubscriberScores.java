package io.cohort.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The latest model outputs for one subscriber on {@link Topics#SCORES} (compacted, keyed by
 * subscriber id). {@code featureVersion} is the feature vector version the scores were computed
 * from; consumers keep the record with the highest ({@code featureVersion}, {@code scoredAt}).
 * {@code scores} holds named numeric outputs (propensities, CLV, P(alive), send hour) keyed by
 * model family; {@code modelVersions} says which version produced each. {@code reasons} holds,
 * per score name, the top contributing features of that prediction (reason codes, strongest
 * first); it may be absent. Score names are in {@link ScoreNames}. A null value is an erasure tombstone.
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
        Map<String, Integer> modelVersions,
        Map<String, List<String>> reasons) {

    public static final int SCHEMA_VERSION = 1;

    /** Scores without reason codes. */
    public SubscriberScores(int schemaVersion, String subscriberId, long featureVersion, Instant scoredAt,
            ClusterAssignment cluster, Map<String, Double> scores, Map<String, Integer> modelVersions) {
        this(schemaVersion, subscriberId, featureVersion, scoredAt, cluster, scores, modelVersions, null);
    }
}
