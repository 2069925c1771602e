package io.cohort.model.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of a training call; every field optional. */
public record TrainRequest(
        @Schema(description = "clusters, 2..20; absent: the k in 2..8 with the best mean silhouette", minimum = "2",
                maximum = "20", nullable = true)
        Integer k,
        @Schema(description = "seed of the K-Means++ initialisation (default 42)", nullable = true)
        Long seed) {
}
