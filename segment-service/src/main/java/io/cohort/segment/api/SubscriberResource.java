package io.cohort.segment.api;

import io.cohort.segment.persistence.MembershipRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/subscribers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "subscribers", description = "Segment membership of one subscriber")
public class SubscriberResource {

    private final MembershipRepository memberships;

    public SubscriberResource(MembershipRepository memberships) {
        this.memberships = memberships;
    }

    @GET
    @Path("/{id}/segments")
    @Operation(summary = "The segments a subscriber is in now (empty for an unknown subscriber)")
    public Responses.SubscriberSegments segments(@PathParam("id") String id) {
        return new Responses.SubscriberSegments(id, memberships.segmentsOf(id).stream()
                .map(s -> new Responses.SubscriberSegment(s.segmentId().toString(), s.name(), s.kind(), s.enteredAt()))
                .toList());
    }
}
