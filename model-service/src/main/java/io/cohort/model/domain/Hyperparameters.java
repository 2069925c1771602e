package io.cohort.model.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a clustering version was trained with.
 *
 * @param k clusters (HDBSCAN: the number it found, noise group not counted)
 * @param kSelection {@code requested} (k given by the caller), {@code silhouette} (best mean
 *                   silhouette over {@code minK..maxK}) or {@code density} (HDBSCAN chose it)
 * @param minK smallest k tried when chosen by silhouette
 * @param maxK largest k tried when chosen by silhouette
 * @param seed random seed of the K-Means++ initialisation (HDBSCAN: of the row sample above
 *             {@link ClusteringTrainer#HDBSCAN_MAX_FIT_ROWS})
 * @param iterations maximum K-Means iterations (0 for HDBSCAN, which does not iterate)
 * @param initialisation centroid initialisation (absent for HDBSCAN)
 * @param distance distance between rows
 * @param algorithm {@code kmeans} or {@code hdbscan}; absent in versions stored before HDBSCAN
 *                  existed, which are all K-Means
 * @param minClusterSize HDBSCAN only: fewest members of a cluster, also its density neighbourhood (minPts)
 * @param minSamples HDBSCAN only: density neighbourhood (minPts), the row itself included
 * @param fitRows HDBSCAN only: rows the hierarchy was built from (all rows, or a seeded sample)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hyperparameters(int k, String kSelection, int minK, int maxK, long seed, int iterations,
        String initialisation, String distance, String algorithm, Integer minClusterSize, Integer minSamples, Integer fitRows) {

    /** K-Means hyperparameters. */
    public Hyperparameters(int k, String kSelection, int minK, int maxK, long seed, int iterations,
            String initialisation, String distance) {
        this(k, kSelection, minK, maxK, seed, iterations, initialisation, distance, ClusteringTrainer.KMEANS, null,
                null, null);
    }
}
