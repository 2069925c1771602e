package io.cohort.segment.api;

import io.cohort.segment.domain.Explanation;
import io.cohort.segment.domain.MembershipReadModel;
import io.cohort.segment.persistence.ReadModelRefresher;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.cohort.segment.domain.Segment;
import io.cohort.segment.domain.SegmentMatcher;
import io.cohort.segment.domain.SubscriberView;
import io.cohort.segment.persistence.MembershipRepository;
import io.cohort.segment.persistence.SegmentRepository;
import io.cohort.segment.persistence.SubscriberViewRepository;
import io.cohort.contracts.http.FieldViolation;
import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.core.HttpHeaders;
import io.cohort.segment.domain.SendPlanner;
import io.cohort.segment.persistence.MembershipStore;
import io.cohort.segment.persistence.SendRepository;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import io.cohort.segment.streaming.SegmentRegistry;
import io.cohort.segment.streaming.StreamsLookup;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
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

    private final SendRepository sends;
    private final MembershipStore store;
    private final Clock clock;
    @jakarta.inject.Inject
    Lookalikes lookalikes;
    private final MembershipReadModel readModel;
    private final io.cohort.segment.messaging.MembershipMetrics metrics;
    @jakarta.inject.Inject
    StreamsLookup streams;
    @jakarta.inject.Inject
    SegmentRegistry registry;
    @jakarta.inject.Inject
    io.cohort.segment.application.ErasureGate erasureGate;

    public SubscriberResource(MembershipRepository memberships, SegmentRepository segments,
            SubscriberViewRepository views, SendRepository sends, MembershipStore store, Clock clock,
            ReadModelRefresher readModel, io.cohort.segment.messaging.MembershipMetrics metrics) {
        this.readModel = readModel.model();
        this.metrics = metrics;
        this.sends = sends;
        this.store = store;
        this.clock = clock;
        this.memberships = memberships;
        this.segments = segments;
        this.views = views;
    }

    @RolesAllowed(Scopes.MEMBERS_READ)
    @GET
    @Path("/{id}/segments")
    @Operation(summary = "The segments a subscriber is in now (empty for an unknown subscriber)")
    public Uni<Responses.SubscriberSegments> segments(@PathParam("id") String id,
            @Parameter(description = "true adds the per-condition evaluation of each segment") @QueryParam("explain")
            boolean explain,
            @Parameter(hidden = true) @HeaderParam(StreamsLookup.FORWARDED_HEADER) String forwarded,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (streams.enabled()) {
            return Uni.createFrom().item(() -> streams.find(id, forwarded != null))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .flatMap(owner -> segmentsFromStreams(id, explain, owner, authorization));
        }
        // on the event loop from memory; read through to the database (on a worker) while this
        // replica's own change to the subscriber or a segment is still being loaded
        boolean current = readModel.isCurrent(id);
        metrics.lookup(current);
        if (current) {
            return Uni.createFrom().item(segmentsFromMemory(id, explain));
        }
        return Uni.createFrom().item(() -> segmentsFromDatabase(id, explain))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * Streams engine: from this instance's stores, or the owning instance's answer (asked with the
     * caller's token) passed back as it is.
     */
    private Uni<Responses.SubscriberSegments> segmentsFromStreams(String id, boolean explain,
            StreamsLookup.Owner owner, String authorization) {
        if (owner instanceof StreamsLookup.Remote remote) {
            return Uni.createFrom().completionStage(() -> streams.forward(remote, id, explain,
                            java.util.Optional.ofNullable(authorization)))
                    .onFailure().transform(e -> new ForwardedResponse(unavailable("owner " + remote.host() + ":"
                            + remote.port() + " did not answer")))
                    .map(answer -> {
                        throw new ForwardedResponse(Response.status(answer.statusCode())
                                .type(answer.headers().firstValue("Content-Type").orElse(MediaType.APPLICATION_JSON))
                                .entity(answer.body()).build());
                    });
        }
        if (owner instanceof StreamsLookup.Unavailable unavailable) {
            return Uni.createFrom().failure(new ForwardedResponse(unavailable(unavailable.why())));
        }
        StreamsLookup.Local local = (StreamsLookup.Local) owner;
        SubscriberView view = explain && local.view() != null ? local.view().asOf(clock.instant()) : null;
        Map<UUID, Segment> active = registry.get().segments().stream()
                .collect(Collectors.toMap(Segment::id, Function.identity()));
        return Uni.createFrom().item(new Responses.SubscriberSegments(id, local.memberships().stream()
                .filter(m -> active.containsKey(m.segmentId()))
                .map(m -> {
                    Segment segment = active.get(m.segmentId());
                    return new Responses.SubscriberSegment(m.segmentId().toString(), segment.name(),
                            segment.kind().wireName(), m.enteredAt(), m.holdout(),
                            view == null ? null : lookalikes.explain(segment, view));
                })
                .toList()));
    }

    private static Response unavailable(String why) {
        return Response.fromResponse(ProblemResponses.problem(
                io.cohort.contracts.http.ProblemDetail.of(503, "Service Unavailable", why)))
                .header("Retry-After", "1").build();
    }

    private Responses.SubscriberSegments segmentsFromMemory(String id, boolean explain) {
        List<MembershipReadModel.Member> members = readModel.segmentsOf(id);
        SubscriberView view = explain && !members.isEmpty() ? readModel.view(id).asOf(clock.instant()) : null;
        return new Responses.SubscriberSegments(id, members.stream()
                .map(m -> new Responses.SubscriberSegment(m.segment().id().toString(), m.segment().name(),
                        m.segment().kind().wireName(), m.enteredAt(), m.holdout(),
                        view == null ? null : readModel.segment(m.segment().id())
                                .map(s -> readModel.explain(s, view)).orElse(null)))
                .toList());
    }

    private Responses.SubscriberSegments segmentsFromDatabase(String id, boolean explain) {
        var rows = memberships.segmentsOf(id);
        Map<UUID, Segment> definitions = explain && !rows.isEmpty()
                ? segments.findAll().stream().collect(Collectors.toMap(Segment::id, Function.identity()))
                : Map.of();
        SubscriberView view = explain && !rows.isEmpty()
                ? views.find(id).orElse(SubscriberView.empty(id)).asOf(clock.instant()) : null;
        return new Responses.SubscriberSegments(id, rows.stream()
                .map(s -> {
                    Segment segment = definitions.get(s.segmentId());
                    Explanation explanation = segment == null ? null : lookalikes.explain(segment, view);
                    return new Responses.SubscriberSegment(s.segmentId().toString(), s.name(), s.kind(), s.enteredAt(),
                            s.holdout(), explanation);
                })
                .toList());
    }

    // what the subscriber would be sent and why (their segments, suppression, cadence): a member read
    @RolesAllowed(Scopes.MEMBERS_READ)
    @GET
    @Path("/{id}/plan")
    @Operation(summary = "The next send: winning segment by priority, after suppression, holdout and cadence; "
            + "content, subject line variant and send time")
    public Responses.Plan plan(@PathParam("id") String id,
            @Parameter(hidden = true) @HeaderParam(StreamsLookup.FORWARDED_HEADER) String forwarded,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Instant now = clock.instant();
        Map<UUID, Segment> definitions = segments.findActive().stream()
                .collect(Collectors.toMap(Segment::id, Function.identity()));
        SubscriberView view;
        List<SendPlanner.Candidate> candidates;
        if (streams.enabled()) {
            // the view and memberships are in the stores of the instance owning the subscriber
            StreamsLookup.Local local = StreamsForwarding.local(streams, id, "/v1/subscribers/"
                    + StreamsLookup.encode(id) + "/plan", forwarded != null, authorization);
            view = local.view() == null ? null : local.view().asOf(now);
            candidates = local.memberships().stream().filter(m -> definitions.containsKey(m.segmentId()))
                    .map(m -> new SendPlanner.Candidate(definitions.get(m.segmentId()), m.holdout())).toList();
        } else {
            view = views.find(id).map(v -> v.asOf(now)).orElse(null);
            candidates = memberships.segmentsOf(id).stream()
                    .filter(m -> definitions.containsKey(m.segmentId()))
                    .map(m -> new SendPlanner.Candidate(definitions.get(m.segmentId()), m.holdout()))
                    .toList();
        }
        int longestWindow = candidates.stream()
                .map(c -> c.segment().definition().actions())
                .filter(a -> a != null && a.cadence() != null)
                .mapToInt(a -> a.cadence().perDays()).max().orElse(0);
        List<Instant> recent = longestWindow == 0 ? List.of()
                : sends.since(id, now.minus(Duration.ofDays(longestWindow)));
        SendPlanner.Plan plan = SendPlanner.plan(view, candidates, recent, now);
        Segment winner = plan.segment();
        var actions = winner == null ? null : winner.definition().actions();
        return new Responses.Plan(id, plan.send(), plan.reason(), plan.suppressed(), plan.holdout(),
                winner == null ? null : winner.id().toString(), winner == null ? null : winner.name(),
                actions == null ? null : actions.priority(),
                plan.send() ? actions.contentKey() : null, plan.send() ? actions.offer() : null,
                plan.subjectVariant(), plan.subjectLine(), plan.eligibleAt(), plan.sendAt(), plan.sendTimeSource(),
                actions == null || actions.cadence() == null ? null : plan.sendsInWindow(),
                candidates.stream().filter(c -> c.segment().definition().actions() != null)
                        .map(c -> c.segment().id().toString()).toList());
    }

    // uses up the subscriber's cadence cap: its own scope, so a reader cannot hold back anyone's mail
    @RolesAllowed(Scopes.SENDS_WRITE)
    @POST
    @Path("/{id}/sends")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record a send to the subscriber (counts towards cadence caps); body optional: "
            + "{sentAt, segmentId, contentKey, messageId}; a messageId already recorded (here or by an Email Sent "
            + "event) is not counted again")
    public Response recordSend(@PathParam("id") String id, Object body) {
        List<FieldViolation> errors = new ArrayList<>();
        Instant sentAt = null;
        UUID segmentId = null;
        String contentKey = null;
        String messageId = null;
        if (body instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                if (!List.of("sentAt", "segmentId", "contentKey", "messageId").contains(key)) {
                    errors.add(new FieldViolation("/" + key, "is not a known property; a send has sentAt, segmentId, "
                            + "contentKey and messageId"));
                }
            }
            if (map.get("sentAt") != null) {
                try {
                    sentAt = Instant.parse(String.valueOf(map.get("sentAt")));
                } catch (DateTimeParseException e) {
                    errors.add(new FieldViolation("/sentAt", "must be an ISO-8601 instant, e.g. 2026-03-01T10:00:00Z"));
                }
            }
            if (map.get("segmentId") != null) {
                try {
                    segmentId = UUID.fromString(String.valueOf(map.get("segmentId")));
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldViolation("/segmentId", "must be a segment id"));
                }
            }
            if (map.get("contentKey") != null) {
                if (map.get("contentKey") instanceof String k && !k.isBlank() && k.length() <= 200) {
                    contentKey = k;
                } else {
                    errors.add(new FieldViolation("/contentKey", "must be a non-blank string of at most 200 characters"));
                }
            }
            if (map.get("messageId") != null) {
                if (map.get("messageId") instanceof String m && !m.isBlank() && m.length() <= 200) {
                    messageId = m;
                } else {
                    errors.add(new FieldViolation("/messageId", "must be a non-blank string of at most 200 characters"));
                }
            }
        } else if (body != null) {
            errors.add(new FieldViolation("/", "must be a JSON object"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationFailedException("The send is invalid; nothing was recorded", errors);
        }
        // a send dated at or before the subscriber's erasure is data about an erased person: refused, as on events-in
        Instant dated = sentAt == null ? clock.instant() : sentAt;
        UUID segment = segmentId;
        String content = contentKey;
        String message = messageId;
        Instant at = erasureGate.unlessErased(id, dated, () -> store.recordSend(id, dated, segment, content, message))
                .orElse(null);
        if (at == null) {
            return ProblemResponses.problem(io.cohort.contracts.http.ProblemDetail.of(409, "Conflict",
                    "The subscriber was erased after this send's time; nothing was recorded"));
        }
        return Response.status(Response.Status.CREATED)
                .entity(new Responses.Send(id, at, segmentId == null ? null : segmentId.toString(), contentKey))
                .build();
    }
}
