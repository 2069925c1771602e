package io.cohort.segment.api;

import jakarta.ws.rs.core.Response;

/**
 * A response to pass back exactly as it is (status and body), e.g. the answer of the instance that
 * owns a subscriber's partition (streams engine); mapped as is by {@link ProblemResponses}.
 */
public class ForwardedResponse extends RuntimeException {

    private final transient Response response;

    public ForwardedResponse(Response response) {
        super(null, null, false, false);
        this.response = response;
    }

    public Response response() {
        return response;
    }
}
