package io.cohort.model.persistence;

import java.time.Instant;
import java.util.Map;

/**
 * What was last published on cohort.scores.v1 for a subscriber.
 *
 * @param modelVersion clustering version of the published cluster, null without one
 * @param clusterId published cluster, null without one
 * @param scores published named scores (empty when none)
 * @param modelVersions version of every family that contributed
 */
public record PublishedScore(String subscriberId, long featureVersion, Integer modelVersion, Integer clusterId,
        Instant publishedAt, Map<String, Double> scores, Map<String, Integer> modelVersions) {

    public PublishedScore {
        scores = scores == null ? Map.of() : Map.copyOf(scores);
        modelVersions = modelVersions == null ? Map.of() : Map.copyOf(modelVersions);
    }
}
