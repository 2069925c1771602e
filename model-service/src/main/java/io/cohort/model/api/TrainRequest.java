package io.cohort.model.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of a clustering training call; every field optional. */
public record TrainRequest(
        @Schema(description = "K-Means clusters, 2..20; absent: the k in 4..12 with the best mean silhouette",
                minimum = "2", maximum = "20", nullable = true)
        Integer k,
        @Schema(description = "seed of the K-Means++ initialisation, or of HDBSCAN's row sample (default 42)",
                nullable = true)
        Long seed,
        @Schema(description = "kmeans (default) or hdbscan", enumeration = {"kmeans", "hdbscan"}, nullable = true)
        String algorithm,
        @Schema(description = "HDBSCAN only: fewest members of a cluster, 2..10000; absent: 5% of the rows, at least 5",
                minimum = "2", maximum = "10000", nullable = true)
        Integer minClusterSize,
        @Schema(description = "HDBSCAN only: density neighbourhood (minPts), 1..10000; absent: 2 × minClusterSize",
                minimum = "1", maximum = "10000", nullable = true)
        Integer minSamples,
        @Schema(description = "activate the new version when it is the first or beats the active one (default"
                + " true); false keeps it a candidate", nullable = true)
        Boolean autoActivate) {

    /** Every parameter a clustering training body may hold. */
    public static final java.util.Set<String> PARAMETERS =
            java.util.Set.of("k", "seed", "algorithm", "minClusterSize", "minSamples", "autoActivate");

    /** Reads the parameters of a validated body (types checked by {@code fields}). */
    static TrainRequest of(BodyFields fields) {
        return new TrainRequest(fields.integer("k"), fields.integral("seed"), fields.text("algorithm"),
                fields.integer("minClusterSize"), fields.integer("minSamples"), fields.bool("autoActivate"));
    }

    public boolean autoActivateOrDefault() {
        return autoActivate == null || autoActivate;
    }

    /** The algorithm asked for, K-Means when absent. */
    public String algorithmOrDefault() {
        return algorithm == null ? io.cohort.model.domain.ClusteringTrainer.KMEANS : algorithm;
    }
}
