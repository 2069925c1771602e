package io.cohort.model.domain;

import java.util.Map;

/**
 * One cluster of a trained model as people read it.
 *
 * @param clusterId Tribuo's cluster id (what scores carry)
 * @param name generated from the features that most distinguish the cluster
 * @param size members in the training rows
 * @param share size / training rows
 * @param centroid mean feature values of the members in original units (absent values imputed)
 */
public record ClusterProfile(int clusterId, String name, int size, double share, Map<String, Double> centroid) {
}
