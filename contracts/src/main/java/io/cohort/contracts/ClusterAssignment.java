package io.cohort.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Which cluster of which clustering model version a subscriber falls in. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterAssignment(String modelFamily, int modelVersion, int clusterId, String clusterName) {
}
