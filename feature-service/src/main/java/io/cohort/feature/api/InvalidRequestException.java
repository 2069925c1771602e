package io.cohort.feature.api;

import io.cohort.contracts.http.FieldViolation;
import java.util.List;

/** A request body that failed validation; mapped to a 400 problem naming each field by JSON pointer. */
public class InvalidRequestException extends RuntimeException {

    private final transient List<FieldViolation> violations;

    public InvalidRequestException(List<FieldViolation> violations) {
        super("The request is invalid", null, false, false);
        this.violations = List.copyOf(violations);
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
