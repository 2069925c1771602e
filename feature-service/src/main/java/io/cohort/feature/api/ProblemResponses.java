package io.cohort.feature.api;

import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.http.ProblemDetail;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves this service as an RFC 7807 problem document. */
public class ProblemResponses {

    private static final Logger LOG = Logger.getLogger(ProblemResponses.class);

    @ServerExceptionMapper
    public Response notFound(SubscriberNotFoundException e) {
        return problem(new ProblemDetail("https://cohort.dev/problems/subscriber-not-found", "Subscriber not found",
                404, e.getMessage(), null, List.of()));
    }

    @ServerExceptionMapper
    public Response accountNotFound(AccountNotFoundException e) {
        return problem(new ProblemDetail("https://cohort.dev/problems/account-not-found", "Account not found",
                404, e.getMessage(), null, List.of()));
    }

    /** Streams engine: stores restoring or moving, or the owning instance not answering; the client retries. */
    @ServerExceptionMapper
    public Response streamsUnavailable(StreamsUnavailableException e) {
        return Response.fromResponse(problem(ProblemDetail.of(503, "Service Unavailable", e.getMessage())))
                .header("Retry-After", "1").build();
    }

    @ServerExceptionMapper
    public Response invalid(InvalidRequestException e) {
        return problem(ProblemDetail.invalid("The request is invalid", e.violations()));
    }

    @ServerExceptionMapper
    public Response constraint(ConstraintViolationException e) {
        List<FieldViolation> violations = e.getConstraintViolations().stream()
                .map(v -> new FieldViolation(parameterPointer(v.getPropertyPath().toString()), v.getMessage()))
                .toList();
        return problem(ProblemDetail.invalid("The request is invalid", violations));
    }

    /** A body that is not JSON, or has a field of the wrong JSON type: 400 naming the field. */
    @ServerExceptionMapper
    public Response unreadableBody(com.fasterxml.jackson.core.JsonProcessingException e) {
        String field = "/";
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping) {
            field = mapping.getPath().stream()
                    .map(step -> "/" + (step.getFieldName() == null ? String.valueOf(step.getIndex())
                            : step.getFieldName().replace("~", "~0").replace("/", "~1")))
                    .collect(java.util.stream.Collectors.joining());
        }
        return problem(ProblemDetail.invalid("The request body could not be read", List.of(new FieldViolation(
                field.isEmpty() ? "/" : field,
                e instanceof com.fasterxml.jackson.databind.JsonMappingException ? "has the wrong JSON type"
                        : "is not well-formed JSON"))));
    }

    /** Quarkus answers this subtype itself (a bare 400) unless a mapper names it exactly. */
    @ServerExceptionMapper
    public Response mismatchedBody(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return unreadableBody(e);
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        if (e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException unreadable) {
            return unreadableBody(unreadable);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "request failed with %d", status);
        }
        return problem(ProblemDetail.of(status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected error while handling a request", e);
        return problem(ProblemDetail.of(500, "Internal Server Error", "The request could not be completed."));
    }

    static Response problem(ProblemDetail problem) {
        return Response.status(problem.status()).type(ProblemDetail.MEDIA_TYPE).entity(problem).build();
    }

    /** Bean-validation paths look like {@code method.param}; path parameters are named by their name. */
    private static String parameterPointer(String path) {
        String[] parts = path.split("\\.");
        return parts.length < 2 ? "/" : "/" + String.join("/", List.of(parts).subList(1, parts.length));
    }
}
