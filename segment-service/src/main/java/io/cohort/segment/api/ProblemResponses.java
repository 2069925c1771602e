package io.cohort.segment.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.http.ProblemDetail;
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
    public Response forwarded(ForwardedResponse e) {
        return e.response();
    }

    /** Streams engine: stores restoring or moving, or another instance not answering; the client retries. */
    @ServerExceptionMapper
    public Response streamsUnavailable(io.cohort.segment.streaming.StreamsUnavailableException e) {
        return Response.fromResponse(problem(ProblemDetail.of(503, "Service Unavailable", e.getMessage())))
                .header("Retry-After", "1").build();
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

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected error while handling a request", e);
        return problem(ProblemDetail.of(500, "Internal Server Error",
                "The request could not be completed; nothing was changed."));
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

    private static String escape(String field) {
        return field.replace("~", "~0").replace("/", "~1");
    }
}
