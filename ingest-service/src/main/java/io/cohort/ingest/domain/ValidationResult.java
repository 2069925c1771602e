package io.cohort.ingest.domain;

import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.http.FieldViolation;
import java.util.List;

/** Either a valid envelope or the violations that stop it. */
public record ValidationResult(EventEnvelope envelope, List<FieldViolation> errors) {

    static ValidationResult valid(EventEnvelope envelope) {
        return new ValidationResult(envelope, List.of());
    }

    static ValidationResult invalid(List<FieldViolation> errors) {
        return new ValidationResult(null, List.copyOf(errors));
    }

    public boolean isValid() {
        return envelope != null;
    }
}
