package io.cohort.contracts.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * RFC 7807 problem document every service returns for 4xx and 5xx responses
 * ({@code application/problem+json}). {@code errors} lists each offending field by JSON pointer.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProblemDetail(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        List<FieldViolation> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static ProblemDetail of(int status, String title, String detail) {
        return new ProblemDetail("about:blank", title, status, detail, null, List.of());
    }

    public static ProblemDetail invalid(String detail, List<FieldViolation> errors) {
        return new ProblemDetail("https://cohort.dev/problems/validation", "Invalid request", 400, detail, null,
                List.copyOf(errors));
    }
}
