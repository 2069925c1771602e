package io.cohort.segment.api;

import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.http.FieldViolation;
import io.cohort.segment.domain.ConditionParser;
import io.cohort.segment.domain.MembersCursor;
import io.cohort.segment.domain.Segment;
import io.cohort.segment.domain.SegmentDefinitionParser;
import io.cohort.segment.messaging.MembershipMetrics;
import io.cohort.segment.messaging.OutboxRelay;
import io.cohort.segment.persistence.MembershipRepository;
import io.cohort.segment.persistence.MembershipStore;
import io.cohort.segment.persistence.SegmentRepository;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Segment definitions and their members. Bodies are plain JSON so every field is checked by pointer. */
@Path("/v1/segments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "segments", description = "Segment definitions and live membership")
public class SegmentResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final SegmentDefinitionParser parser =
            new SegmentDefinitionParser(new ConditionParser(FeatureNames.ALL));
    private final MembershipStore store;
    private final SegmentRepository segments;
    private final MembershipRepository memberships;
    private final MembershipMetrics metrics;
    private final OutboxRelay relay;

    public SegmentResource(MembershipStore store, SegmentRepository segments, MembershipRepository memberships,
            MembershipMetrics metrics, OutboxRelay relay) {
        this.store = store;
        this.segments = segments;
        this.memberships = memberships;
        this.metrics = metrics;
        this.relay = relay;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Define a segment; its membership is computed over every known subscriber before this returns")
    public Response create(Object body, @Context UriInfo uri) {
        SegmentDefinitionParser.Result result = parser.parse(body);
        if (!result.isValid()) {
            throw new ValidationFailedException("The segment definition is invalid; nothing was stored",
                    result.errors());
        }
        MembershipStore.CreatedSegment created = store.create(result.definition());
        metrics.transitions(created.transitions());
        if (!created.transitions().isEmpty()) {
            relay.nudge();
        }
        Segment segment = created.segment();
        return Response.created(uri.getAbsolutePathBuilder().path(segment.id().toString()).build())
                .entity(SegmentDocument.of(segment)).build();
    }

    @GET
    @Operation(summary = "List every segment, oldest first")
    public Responses.SegmentList list() {
        return new Responses.SegmentList(segments.findAll().stream().map(SegmentDocument::of).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One segment")
    public SegmentDocument get(@PathParam("id") String id) {
        return SegmentDocument.of(find(id));
    }

    @GET
    @Path("/{id}/members")
    @Operation(summary = "Current members in subscriber id order, a page at a time")
    public Responses.MemberPage members(@PathParam("id") String id,
            @Parameter(description = "page size, 1 to 1000 (default 100)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        Segment segment = find(id);
        List<FieldViolation> errors = new ArrayList<>();
        int pageSize = limit(limit, errors);
        String after = "";
        if (cursor != null && !cursor.isEmpty()) {
            Optional<String> decoded = MembersCursor.decode(cursor);
            if (decoded.isEmpty()) {
                errors.add(new FieldViolation("?cursor", "is not a cursor this API returned"));
            } else {
                after = decoded.get();
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationFailedException("The query parameters are invalid", errors);
        }
        List<MembershipRepository.Member> rows = memberships.page(segment.id(), after, pageSize + 1);
        boolean more = rows.size() > pageSize;
        List<MembershipRepository.Member> page = more ? rows.subList(0, pageSize) : rows;
        String next = more ? MembersCursor.encode(page.get(page.size() - 1).subscriberId()) : null;
        return new Responses.MemberPage(segment.id().toString(),
                page.stream().map(m -> new Responses.Member(m.subscriberId(), m.enteredAt())).toList(), next);
    }

    private Segment find(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("No segment with id " + id);
        }
        return segments.findById(uuid).orElseThrow(() -> new NotFoundException("No segment with id " + id));
    }

    private static int limit(String raw, List<FieldViolation> errors) {
        if (raw == null || raw.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldViolation("?limit", "must be an integer from 1 to " + MAX_LIMIT));
        return DEFAULT_LIMIT;
    }
}
