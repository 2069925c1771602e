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

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
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
