package io.cohort.ingest.api;

import io.cohort.contracts.http.ProblemDetail;
import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code POST /v1/subscribers/{id}:unsuppress}, the custom method that ends "suppress with delete"
 * (a percent-encoded colon is decoded by {@link CustomMethodPaths}). Scope {@code admin}: lets an
 * erased person's events in again, so not {@code privacy:write}, and never a write key.
 */
@RolesAllowed(Scopes.ADMIN)
@Path("/v1/subscribers/{id: [^/]+}:unsuppress")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "subscribers", description = "Consent and erasure of a subscriber")
public class SuppressionResource {

    private static final Logger LOG = Logger.getLogger(SuppressionResource.class);

    private final SubscriberRequests requests;

    public SuppressionResource(SubscriberRequests requests) {
        this.requests = requests;
    }

    @POST
    @Operation(summary = "Allow events of an erased subscriber again (scope admin)",
            description = "After DELETE /v1/subscribers/{id}, events for the id (as userId, anonymousId, previousId "
                    + "or resolved user) are answered as accepted but dropped, like Segment's suppress with delete. "
                    + "This removes the id from the suppression register: 204, the next event is published; 404 "
                    + "problem when the id was not suppressed. The colon is literal (not %3A).")
    public Response unsuppress(@PathParam("id") String subscriberId) {
        ErasureResource.checkId(subscriberId);
        if (!requests.unsuppress(subscriberId)) {
            return ProblemResponses.problem(ProblemDetail.of(404, "Not Found", "The subscriber is not suppressed"));
        }
        LOG.info("a subscriber was unsuppressed");
        return Response.noContent().build();
    }
}
