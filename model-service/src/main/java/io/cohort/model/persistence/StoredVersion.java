package io.cohort.model.persistence;

import io.cohort.model.domain.ClusterProfile;
import io.cohort.model.domain.ClusteringMetrics;
import io.cohort.model.domain.Hyperparameters;
import io.cohort.model.domain.Preprocessing;
import java.time.Instant;
import java.util.List;

/** A registered model version, read back into domain types (no artifact). */
public record StoredVersion(String family, int version, String status, Instant createdAt,
        Hyperparameters hyperparameters, ClusteringMetrics metrics, Preprocessing preprocessing,
        List<ClusterProfile> clusters) {
}
