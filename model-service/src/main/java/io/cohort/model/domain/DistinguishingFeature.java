package io.cohort.model.domain;

/**
 * How far a cluster's members sit from the whole population on one feature.
 *
 * @param feature the feature name
 * @param clusterMean the members' mean in original units (absent values imputed, as in the centroid)
 * @param populationMean the mean of all training rows in original units (imputed the same way)
 * @param zDifference the members' mean minus the population mean in the space the model clusters in
 *                    (imputed, log1p where configured, z-scored with the training means and stds), i.e.
 *                    in population standard deviations; the population's own mean there is 0
 */
public record DistinguishingFeature(String feature, double clusterMean, double populationMean, double zDifference) {
}
