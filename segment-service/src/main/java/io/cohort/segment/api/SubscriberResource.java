package io.cohort.segment.api;

import io.cohort.segment.domain.Explanation;
import io.cohort.segment.domain.Segment;
import io.cohort.segment.domain.SegmentMatcher;
import io.cohort.segment.domain.SubscriberView;
import io.cohort.segment.persistence.MembershipRepository;
import io.cohort.segment.persistence.SegmentRepository;
import io.cohort.segment.persistence.SubscriberViewRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/subscribers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "subscribers", description = "Segment membership of one subscriber")
public class SubscriberResource {

    private final MembershipRepository memberships;
    private final SegmentRepository segments;
    private final SubscriberViewRepository views;

    public SubscriberResource(MembershipRepository memberships, SegmentRepository segments,
            SubscriberViewRepository views) {
        this.memberships = memberships;
        this.segments = segments;
        this.views = views;
    }

    @GET
    @Path("/{id}/segments")
    @Operation(summary = "The segments a subscriber is in now (empty for an unknown subscriber)")
    public Responses.SubscriberSegments segments(@PathParam("id") String id,
            @Parameter(description = "true adds the per-condition evaluation of each segment") @QueryParam("explain")
            boolean explain) {
        var rows = memberships.segmentsOf(id);
        Map<UUID, Segment> definitions = explain && !rows.isEmpty()
                ? segments.findAll().stream().collect(Collectors.toMap(Segment::id, Function.identity()))
                : Map.of();
        SubscriberView view = explain && !rows.isEmpty()
                ? views.find(id).orElse(SubscriberView.empty(id)) : null;
        return new Responses.SubscriberSegments(id, rows.stream()
                .map(s -> {
                    Segment segment = definitions.get(s.segmentId());
                    Explanation explanation = segment == null ? null : SegmentMatcher.explain(segment.definition(), view);
                    return new Responses.SubscriberSegment(s.segmentId().toString(), s.name(), s.kind(), s.enteredAt(),
                            s.holdout(), explanation);
                })
                .toList());
    }
}
