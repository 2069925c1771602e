package io.cohort.model.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A registered version of a non-clustering family, its documents as stored JSON (no artifact). */
public record GenericVersion(String family, int version, String status, Instant createdAt, int rows,
        JsonNode hyperparameters, JsonNode metrics, JsonNode preprocessing, JsonNode profile) {
}
