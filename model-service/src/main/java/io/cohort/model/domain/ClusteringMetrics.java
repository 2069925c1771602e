package io.cohort.model.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cohort.model.domain.retrain.ActivationDecision;
import java.util.Map;

/**
 * How well a clustering fits its training rows.
 *
 * @param k clusters requested
 * @param silhouette mean silhouette on the standardised rows (sampled above {@link ClusteringTrainer#SILHOUETTE_SAMPLE})
 * @param inertia sum of squared standardised distances of the rows to their cluster centroid
 * @param rows training rows
 * @param silhouetteByK the silhouette of every k tried when k was chosen automatically, else absent
 * @param noiseRows HDBSCAN only: training rows in no cluster (the noise group); k, silhouette and
 *                  inertia are then computed over the clustered rows only. Absent for K-Means.
 * @param comparison whether training activated it, compared with which active version on what;
 *                   absent in versions stored before training on request compared
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusteringMetrics(int k, double silhouette, double inertia, int rows, Map<Integer, Double> silhouetteByK,
        Integer noiseRows, ActivationDecision comparison) {

    public ClusteringMetrics(int k, double silhouette, double inertia, int rows, Map<Integer, Double> silhouetteByK,
            Integer noiseRows) {
        this(k, silhouette, inertia, rows, silhouetteByK, noiseRows, null);
    }

    public ClusteringMetrics(int k, double silhouette, double inertia, int rows, Map<Integer, Double> silhouetteByK) {
        this(k, silhouette, inertia, rows, silhouetteByK, null);
    }

    /** The same metrics with the activation decision. */
    public ClusteringMetrics withComparison(ActivationDecision decision) {
        return new ClusteringMetrics(k, silhouette, inertia, rows, silhouetteByK, noiseRows, decision);
    }
}
