package io.cohort.model.api;

import io.cohort.contracts.http.FieldViolation;
import java.util.List;

/** Request content that failed validation; mapped to a 400 problem listing every field. */
public class ValidationFailedException extends RuntimeException {

    private final transient List<FieldViolation> violations;

    public ValidationFailedException(String message, List<FieldViolation> violations) {
        super(message, null, false, false);
        this.violations = List.copyOf(violations);
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
