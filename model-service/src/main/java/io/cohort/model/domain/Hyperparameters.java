package io.cohort.model.domain;

/**
 * What a clustering version was trained with.
 *
 * @param k clusters
 * @param kSelection {@code requested} (k given by the caller) or {@code silhouette} (best mean
 *                   silhouette over {@code minK..maxK})
 * @param minK smallest k tried when chosen by silhouette
 * @param maxK largest k tried when chosen by silhouette
 * @param seed random seed of the K-Means++ initialisation
 * @param iterations maximum K-Means iterations
 * @param initialisation centroid initialisation
 * @param distance distance between rows
 */
public record Hyperparameters(int k, String kSelection, int minK, int maxK, long seed, int iterations,
        String initialisation, String distance) {
}
