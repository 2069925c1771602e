package io.cohort.ingest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.http.ProblemDetail;
import java.io.IOException;
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
    public Response invalid(ValidationFailedException e) {
        return problem(ProblemDetail.invalid(e.getMessage(), e.violations()));
    }

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e) {
        return e.toResponse();
    }

    @ServerExceptionMapper
    public Response webhookUnauthenticated(io.cohort.ingest.domain.webhook.WebhookAuthenticationException e) {
        return problem(ProblemDetail.of(401, "Unauthorized", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response webhookPayload(io.cohort.ingest.domain.webhook.WebhookPayloadException e) {
        return problem(ProblemDetail.invalid("The webhook body could not be used",
                List.of(new FieldViolation(e.pointer(), e.getMessage()))));
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        String pointer = e instanceof JsonMappingException m ? pointer(m.getPath()) : "/";
        String message = e instanceof JsonMappingException ? "has the wrong JSON type" : "is not well-formed JSON";
        return problem(ProblemDetail.invalid("The request body could not be read",
                List.of(new FieldViolation(pointer, message))));
    }

    /** Quarkus maps this one itself (400, empty body) unless a mapper for the exact type exists. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response constraint(ConstraintViolationException e) {
        List<FieldViolation> violations = e.getConstraintViolations().stream()
                .map(v -> new FieldViolation(propertyPointer(v.getPropertyPath().toString()), v.getMessage()))
                .toList();
        return problem(ProblemDetail.invalid("The request is invalid", violations));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadable(unreadable);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "request failed with %d", status);
        }
        Response.StatusType type = e.getResponse().getStatusInfo();
        return problem(ProblemDetail.of(status, type.getReasonPhrase(), e.getMessage()));
    }

    /**
     * A body over 500 KB (counted after gzip inflation, {@link BodyLimit}): one 413 problem. The rest
     * of the body is not read, so the connection is closed after the answer.
     */
    @ServerExceptionMapper
    public Response tooLarge(BodyLimit.BodyTooLargeException e) {
        return Response.fromResponse(problem(ProblemDetail.of(413, "Content Too Large",
                "The request body is larger than 500 KB (after gzip inflation); split the batch")))
                .header("Connection", "close").build();
    }

    @ServerExceptionMapper
    public Response unreadableStream(IOException e) {
        return unexpected(e);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected error while handling a request", e);
        return problem(ProblemDetail.of(500, "Internal Server Error",
                "The request could not be completed; it was not applied. Retry with the same messageId."));
    }

    static Response problem(ProblemDetail problem) {
        return Response.status(problem.status()).type(ProblemDetail.MEDIA_TYPE).entity(problem).build();
    }

    private static String pointer(List<JsonMappingException.Reference> path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            pointer.append('/').append(ref.getFieldName() != null ? escape(ref.getFieldName()) : ref.getIndex());
        }
        return pointer.toString();
    }

    /** Bean-validation paths look like {@code method.arg0.field}; keep the field part. */
    private static String propertyPointer(String path) {
        String[] parts = path.split("\\.");
        return parts.length <= 2 ? "/" : "/" + String.join("/", List.of(parts).subList(2, parts.length));
    }

    private static String escape(String field) {
        return field.replace("~", "~0").replace("/", "~1");
    }
}
