package io.cohort.model.persistence;

import java.time.Instant;

/** What was last published on cohort.scores.v1 for a subscriber. */
public record PublishedScore(String subscriberId, long featureVersion, int modelVersion, int clusterId,
        Instant publishedAt) {
}
