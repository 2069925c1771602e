package io.cohort.model.api;

import io.cohort.model.domain.ClusterProfile;
import io.cohort.model.domain.ClusteringMetrics;
import io.cohort.model.domain.Hyperparameters;
import io.cohort.model.domain.Preprocessing;
import io.cohort.model.persistence.GenericVersion;
import io.cohort.model.persistence.StoredVersion;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** Response bodies of the model registry API. */
public final class ModelDocuments {

    private ModelDocuments() {
    }

    /** {@code GET /v1/models}. */
    public record FamilyList(List<FamilySummary> families) {
    }

    public record FamilySummary(String family, Integer activeVersion, long versions) {
    }

    /** {@code GET /v1/models/{family}/versions}. */
    public record VersionList(String family, List<VersionSummary> versions) {
    }

    public record VersionSummary(int version, String status, int k, Instant trainedAt, int rows,
            ClusteringMetrics metrics) {

        static VersionSummary of(StoredVersion stored) {
            return new VersionSummary(stored.version(), stored.status(), stored.metrics().k(), stored.createdAt(),
                    stored.metrics().rows(), stored.metrics());
        }
    }

    /** A whole version: what training returns and {@code GET /v1/models/{family}/versions/{v}} answers. */
    public record VersionDocument(String family, int version, String status, int k, Instant trainedAt, int rows,
            ClusteringMetrics metrics, List<ClusterProfile> clusters, Hyperparameters hyperparameters,
            Preprocessing preprocessing) {

        static VersionDocument of(StoredVersion stored) {
            return new VersionDocument(stored.family(), stored.version(), stored.status(), stored.metrics().k(),
                    stored.createdAt(), stored.metrics().rows(), stored.metrics(), stored.clusters(),
                    stored.hyperparameters(), stored.preprocessing());
        }
    }

    /** {@code GET /v1/models/{family}/versions} of a non-clustering family. */
    public record GenericVersionList(String family, List<GenericVersionSummary> versions) {
    }

    public record GenericVersionSummary(int version, String status, Instant trainedAt, int rows, JsonNode metrics) {

        static GenericVersionSummary of(GenericVersion stored) {
            return new GenericVersionSummary(stored.version(), stored.status(), stored.createdAt(), stored.rows(),
                    stored.metrics());
        }
    }

    /**
     * A whole version of a non-clustering family: metrics, what it learnt ({@code profile}: parameters
     * or coefficients), hyperparameters and preprocessing.
     */
    public record GenericVersionDocument(String family, int version, String status, Instant trainedAt, int rows,
            JsonNode metrics, JsonNode profile, JsonNode hyperparameters, JsonNode preprocessing) {

        static GenericVersionDocument of(GenericVersion stored) {
            return new GenericVersionDocument(stored.family(), stored.version(), stored.status(), stored.createdAt(),
                    stored.rows(), stored.metrics(), stored.profile(), stored.hyperparameters(),
                    stored.preprocessing());
        }
    }

    /** {@code GET /v1/models/{family}/versions/{v}/provenance}: Tribuo's provenance of the trained model. */
    public record ProvenanceDocument(String family, int version, String provenance) {
    }
}
