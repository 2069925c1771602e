package io.cohort.ingest.api;

import io.cohort.contracts.http.ProblemDetail;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** A request without valid credentials: 401 (with its challenge) or 403, as a problem document. */
public class AuthenticationFailedException extends RuntimeException {

    private final int status;
    private final String challenge;

    public AuthenticationFailedException(int status, String detail, String challenge) {
        super(detail, null, false, false);
        this.status = status;
        this.challenge = challenge;
    }

    public static AuthenticationFailedException unauthorized(String detail, String challenge) {
        return new AuthenticationFailedException(401, detail, challenge);
    }

    public static AuthenticationFailedException forbidden(String detail) {
        return new AuthenticationFailedException(403, detail, null);
    }

    Response toResponse() {
        ProblemDetail problem = ProblemDetail.of(status, status == 401 ? "Unauthorized" : "Forbidden", getMessage());
        Response.ResponseBuilder response = Response.status(status).type(ProblemDetail.MEDIA_TYPE).entity(problem);
        if (challenge != null) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, challenge);
        }
        return response.build();
    }
}
