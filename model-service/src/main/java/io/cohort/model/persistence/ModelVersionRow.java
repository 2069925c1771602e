package io.cohort.model.persistence;

import java.time.Instant;

/** One model_version row without its artifact; the JSON columns as text. */
public record ModelVersionRow(String family, int version, String status, Instant createdAt,
        String hyperparameters, String metrics, String preprocessing, String profile) {
}
