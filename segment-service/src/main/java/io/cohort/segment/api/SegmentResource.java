package io.cohort.segment.api;

import io.cohort.contracts.http.FieldViolation;
import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import io.cohort.segment.domain.MembershipReadModel;
import io.cohort.segment.persistence.JobRepository;
import io.cohort.segment.persistence.ReadModelRefresher;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.cohort.segment.persistence.SizeHistoryRepository;
import io.cohort.segment.persistence.SnapshotRepository;
import java.time.Clock;
import io.cohort.segment.domain.Holdout;
import io.cohort.segment.domain.SegmentMatcher;
import io.cohort.segment.domain.SubscriberView;
import io.cohort.segment.persistence.SubscriberViewRepository;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import io.cohort.segment.domain.LookalikeResult;
import io.cohort.segment.domain.MembersCursor;
import io.cohort.segment.messaging.BackfillRunner;
import io.cohort.segment.domain.Segment;
import io.cohort.segment.messaging.MembershipMetrics;
import io.cohort.segment.messaging.OutboxRelay;
import io.cohort.segment.persistence.MembershipRepository;
import io.cohort.segment.persistence.MembershipStore;
import io.cohort.segment.persistence.SegmentRepository;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import io.cohort.segment.domain.MemberMerge;
import io.cohort.segment.streaming.StreamsLookup;
import io.cohort.segment.streaming.StreamsMembers;
import io.cohort.segment.streaming.StreamsUnavailableException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
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
    static final int MAX_ACTIVE_SEGMENTS = 20;
    static final int EXPORT_PAGE = 1000;
    static final int MAX_SAMPLE = 10_000;
    static final String CSV = "text/csv";

    private final MembershipStore store;
    private final SegmentRepository segments;
    private final MembershipRepository memberships;
    private final SubscriberViewRepository views;
    private final MembershipMetrics metrics;
    private final OutboxRelay relay;

    private final JobRepository jobs;
    private final SizeHistoryRepository sizes;
    private final SnapshotRepository snapshots;
    private final Clock clock;
    private final Lookalikes lookalikes;
    private final BackfillRunner backfills;
    private final MembershipReadModel readModel;
    @jakarta.inject.Inject
    StreamsMemberPages streamsPages;
    @jakarta.inject.Inject
    StreamsLookup streamsLookup;
    @jakarta.inject.Inject
    io.cohort.segment.application.StreamsDefinitions streamsDefinitions;
    @jakarta.inject.Inject
    io.cohort.segment.streaming.BackfillProgress backfillProgress;
    @jakarta.inject.Inject
    io.cohort.segment.application.StreamsCutoffs streamsCutoffs;
    @jakarta.inject.Inject
    io.cohort.segment.application.StreamsSnapshots streamsSnapshots;
    @jakarta.inject.Inject
    io.cohort.segment.application.StreamsBackfills streamsBackfills;

    public SegmentResource(MembershipStore store, SegmentRepository segments, MembershipRepository memberships,
            SubscriberViewRepository views, MembershipMetrics metrics, OutboxRelay relay, JobRepository jobs,
            SizeHistoryRepository sizes, SnapshotRepository snapshots, Clock clock, Lookalikes lookalikes,
            BackfillRunner backfills, ReadModelRefresher readModel) {
        this.readModel = readModel.model();
        this.lookalikes = lookalikes;
        this.backfills = backfills;
        this.jobs = jobs;
        this.sizes = sizes;
        this.snapshots = snapshots;
        this.clock = clock;
        this.store = store;
        this.views = views;
        this.segments = segments;
        this.memberships = memberships;
        this.metrics = metrics;
        this.relay = relay;
    }

    @RolesAllowed(Scopes.SEGMENTS_WRITE)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Define a segment; its membership is computed over every known subscriber before this returns")
    public Response create(Object body, @Context UriInfo uri,
            @Parameter(description = "true: store the segment and answer 202 at once; the backfill runs in the "
                    + "background (progress at GET /v1/segments/{id}/backfill)") @QueryParam("async") String async) {
        String failure = "The segment definition is invalid; nothing was stored";
        boolean background = async(async);
        DefinitionInput.Parsed parsed = DefinitionInput.parse(body, failure);
        // model-service reads the seed back from this service: ask it before any transaction or lock
        LookalikeResult lookalike = lookalikes.fetch(parsed.definition(), null, failure);
        if (streamsLookup.enabled()) {
            // the stream tasks compute the membership; without async this answers once they have (bounded)
            MembershipStore.AsyncStart started = streamsDefinitions.create(parsed.definition(), lookalike,
                    streamsCutoffs.forDefinition(parsed.definition()));
            return Response.status(streamsStatus(background, started, Response.Status.CREATED))
                    .entity(SegmentDocument.of(started.segment(), warnings(), parsed.template())
                            .withBackfillJob(started.job().toString()))
                    .location(uri.getAbsolutePathBuilder().path(started.segment().id().toString()).build()).build();
        }
        if (background) {
            MembershipStore.AsyncStart started = store.createAsync(parsed.definition(), lookalike);
            backfills.start(started, false);
            Segment segment = started.segment();
            return Response.accepted(SegmentDocument.of(segment, warnings(), parsed.template())
                    .withBackfillJob(started.job().toString()))
                    .location(uri.getAbsolutePathBuilder().path(segment.id().toString()).build()).build();
        }
        return created(store.create(parsed.definition(), lookalike), parsed.template(), uri.getAbsolutePathBuilder());
    }

    /**
     * Streams engine: 202 for {@code ?async=true}; otherwise waits for the backfill job to end (every
     * task's rescan, bounded by {@code cohort.segment.streams.backfill-wait}) and answers {@code done},
     * or 202 with the job still running when the bound passed.
     */
    private Response.Status streamsStatus(boolean background, MembershipStore.AsyncStart started,
            Response.Status done) {
        if (background) {
            return Response.Status.ACCEPTED;
        }
        return streamsBackfills.awaitEnd(started.job()).isPresent() ? done : Response.Status.ACCEPTED;
    }

    private static boolean async(String raw) {
        if (raw == null || raw.isEmpty() || raw.equals("false")) {
            return false;
        }
        if (raw.equals("true")) {
            return true;
        }
        throw new ValidationFailedException("The query parameters are invalid",
                List.of(new FieldViolation("?async", "must be true or false")));
    }

    Response created(MembershipStore.CreatedSegment created, String template, jakarta.ws.rs.core.UriBuilder base) {
        published(created);
        Segment segment = created.segment();
        return Response.created(base.path(segment.id().toString()).build())
                .entity(SegmentDocument.of(segment, warnings(), template)).build();
    }

    @RolesAllowed(Scopes.SEGMENTS_WRITE)
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a segment's definition (version + 1); membership is re-evaluated before this returns")
    public Response update(@PathParam("id") String id, Object body,
            @Parameter(description = "true: store the new definition and answer 202 at once; the re-evaluation "
                    + "runs in the background (progress at GET /v1/segments/{id}/backfill)") @QueryParam("async")
            String async) {
        Segment existing = find(id);
        boolean background = async(async);
        String failure = "The segment definition is invalid; nothing was changed";
        DefinitionInput.Parsed parsed = DefinitionInput.parse(body, failure);
        if (existing.archived()) {
            throw archivedConflict(existing);
        }
        LookalikeResult lookalike = lookalikes.fetch(parsed.definition(), existing.id(), failure);
        try {
            if (streamsLookup.enabled()) {
                MembershipStore.AsyncStart started = streamsDefinitions.update(existing.id(), parsed.definition(),
                        lookalike, streamsCutoffs.forDefinition(parsed.definition())).orElseThrow(() -> notFound(id));
                return Response.status(streamsStatus(background, started, Response.Status.OK))
                        .entity(SegmentDocument.of(started.segment(), warnings())
                                .withBackfillJob(started.job().toString())).build();
            }
            if (background) {
                MembershipStore.AsyncStart started = store.updateAsync(existing.id(), parsed.definition(), lookalike)
                        .orElseThrow(() -> notFound(id));
                backfills.start(started, true);
                return Response.accepted(SegmentDocument.of(started.segment(), warnings())
                        .withBackfillJob(started.job().toString())).build();
            }
            MembershipStore.CreatedSegment updated = store.update(existing.id(), parsed.definition(), lookalike)
                    .orElseThrow(() -> notFound(id));
            published(updated);
            return Response.ok(SegmentDocument.of(updated.segment(), warnings())).build();
        } catch (MembershipStore.SegmentArchivedException e) {
            throw archivedConflict(existing);
        }
    }

    @RolesAllowed(Scopes.SEGMENTS_WRITE)
    @DELETE
    @Path("/{id}")
    @Operation(summary = "Archive a segment: it is no longer evaluated and every member exits; it stays readable")
    public Response archive(@PathParam("id") String id) {
        Segment existing = find(id);
        if (streamsLookup.enabled()) {
            streamsDefinitions.archive(existing.id()).orElseThrow(() -> notFound(id));
            return Response.noContent().build();
        }
        published(store.archive(existing.id()).orElseThrow(() -> notFound(id)));
        return Response.noContent().build();
    }

    @RolesAllowed(Scopes.SEGMENTS_READ)
    @GET
    @Path("/{id}/history")
    @Operation(summary = "Every change of the definition, oldest first")
    public Responses.History history(@PathParam("id") String id) {
        Segment segment = find(id);
        return new Responses.History(segment.id().toString(), segments.history(segment.id()).stream()
                .map(h -> new Responses.HistoryItem(h.version(), h.definition(), h.changedAt(), h.change()))
                .toList());
    }

    @RolesAllowed(Scopes.SEGMENTS_READ)
    @GET
    @Operation(summary = "List every segment (active and archived), oldest first")
    public Responses.SegmentList list() {
        return new Responses.SegmentList(segments.findAll().stream().map(SegmentDocument::of).toList());
    }

    @RolesAllowed(Scopes.SEGMENTS_READ)
    @GET
    @Path("/{id}")
    @Operation(summary = "One segment")
    public SegmentDocument get(@PathParam("id") String id) {
        return SegmentDocument.of(find(id));
    }

    // a page at a time; every member at once is an export (members:export, below)
    @RolesAllowed(Scopes.MEMBERS_READ)
    @GET
    @Path("/{id}/members")
    @Operation(summary = "Current members in subscriber id order, a page at a time; every member as CSV: "
            + "GET /v1/segments/{id}/members:export (also reached as ?format=csv)")
    public Response members(@PathParam("id") String id,
            @Parameter(description = "page size, 1 to 1000 (default 100)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "include (default), exclude or only the holdout") @QueryParam("holdout")
            String holdout,
            @Parameter(description = "json (default, paged); csv is the export, GET /v1/segments/{id}/members:export "
                    + "(scope members:export)") @QueryParam("format") String format,
            @Parameter(description = "true: only send-eligible members (neither held out nor suppressed)")
            @QueryParam("eligible") String eligible,
            @Parameter(hidden = true) @HeaderParam(StreamsLookup.FORWARDED_HEADER) String forwarded) {
        Segment segment = find(id);
        List<FieldViolation> errors = new ArrayList<>();
        StreamsMembers.Filter wanted = listingFilter(holdout, eligible, errors);
        MembershipRepository.HoldoutFilter filter = wanted.holdout();
        boolean eligibleOnly = wanted.eligibleOnly();
        if (format != null && !format.isEmpty() && !format.equals("json")) {
            // ?format=csv never arrives here: MemberExportAlias sends it to the export
            errors.add(new FieldViolation("?format", "must be json or csv"));
        }
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
        if (streamsPages.enabled()) {
            MemberMerge.Page<Responses.Member> merged = streamsPages.page(segment.id(), after, pageSize, wanted,
                    forwarded != null);
            String next = merged.more() && !merged.items().isEmpty()
                    ? MembersCursor.encode(merged.items().get(merged.items().size() - 1).subscriberId()) : null;
            // another instance merging pages also needs the suppression flag (snapshots); clients do not get it
            List<Responses.Member> items = forwarded != null ? merged.items()
                    : merged.items().stream().map(Responses.Member::withoutSuppressed).toList();
            return Response.ok(new Responses.MemberPage(segment.id().toString(), items, next),
                    MediaType.APPLICATION_JSON).build();
        }
        List<MembershipRepository.Member> rows = eligibleOnly
                ? memberships.eligiblePage(segment.id(), after, pageSize + 1)
                : memberships.page(segment.id(), after, pageSize + 1, filter);
        boolean more = rows.size() > pageSize;
        List<MembershipRepository.Member> page = more ? rows.subList(0, pageSize) : rows;
        String next = more ? MembersCursor.encode(page.get(page.size() - 1).subscriberId()) : null;
        return Response.ok(new Responses.MemberPage(segment.id().toString(),
                page.stream().map(SegmentResource::member).toList(), next), MediaType.APPLICATION_JSON).build();
    }

    /**
     * Every member at once: the bulk download, hence its own scope. {@code ?format=csv} on the members
     * list reaches this operation too ({@link MemberExportAlias}), so it needs the same scope.
     */
    @RolesAllowed(Scopes.MEMBERS_EXPORT)
    @GET
    @Path("/{id}/members:export")
    @Produces(CSV)
    @Operation(summary = "Every current member as CSV (subscriber_id,entered_at,holdout) in subscriber id order, "
            + "one download; also GET /v1/segments/{id}/members?format=csv")
    public Response export(@PathParam("id") String id,
            @Parameter(description = "include (default), exclude or only the holdout") @QueryParam("holdout")
            String holdout,
            @Parameter(description = "true: only send-eligible members (neither held out nor suppressed)")
            @QueryParam("eligible") String eligible) {
        Segment segment = find(id);
        List<FieldViolation> errors = new ArrayList<>();
        StreamsMembers.Filter wanted = listingFilter(holdout, eligible, errors);
        if (!errors.isEmpty()) {
            throw new ValidationFailedException("The query parameters are invalid", errors);
        }
        if (streamsPages.enabled()) {
            return csvExport(segment, row -> streamsPages.forEach(segment.id(), wanted, EXPORT_PAGE, row));
        }
        return csvExport(segment, row -> {
            java.util.function.Consumer<MembershipRepository.Member> each = m -> row.accept(member(m));
            if (wanted.eligibleOnly()) {
                memberships.forEachEligible(segment.id(), EXPORT_PAGE, each);
            } else {
                memberships.forEachMember(segment.id(), wanted.holdout(), EXPORT_PAGE, each);
            }
        });
    }

    @RolesAllowed(Scopes.MEMBERS_READ)
    @GET
    @Path("/{id}/members/{subscriberId}")
    @Operation(summary = "Whether one subscriber is a member, with the per-condition evaluation of their current view")
    public Uni<Responses.Membership> membership(@PathParam("id") String id,
            @PathParam("subscriberId") String subscriberId,
            @Parameter(hidden = true) @HeaderParam(StreamsLookup.FORWARDED_HEADER) String forwarded,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (streamsLookup.enabled()) {
            return Uni.createFrom().item(() -> membershipFromStreams(id, subscriberId, forwarded != null, authorization))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        // on the event loop from memory; read through to the database (on a worker) while this
        // replica's own change to the subscriber or a segment is still being loaded
        Optional<MembershipReadModel.SegmentEntry> segment = readModel.isCurrent(subscriberId)
                ? segmentId(id).flatMap(readModel::segment) : Optional.empty();
        metrics.lookup(segment.isPresent());
        if (segment.isPresent()) {
            return Uni.createFrom().item(membershipFromMemory(segment.get(), subscriberId));
        }
        return Uni.createFrom().item(() -> membershipFromDatabase(id, subscriberId))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Responses.Membership membershipFromMemory(MembershipReadModel.SegmentEntry segment, String subscriberId) {
        Optional<MembershipReadModel.Member> member = readModel.membership(segment.segment().id(), subscriberId);
        return new Responses.Membership(segment.segment().id().toString(), subscriberId, member.isPresent(),
                member.map(MembershipReadModel.Member::holdout).orElse(false),
                member.map(MembershipReadModel.Member::enteredAt).orElse(null),
                readModel.explain(segment, readModel.view(subscriberId).asOf(clock.instant())));
    }

    /** Streams engine: from the stores of the instance owning the subscriber, forwarded there when needed. */
    private Responses.Membership membershipFromStreams(String id, String subscriberId, boolean forwarded,
            String authorization) {
        Segment segment = find(id);
        StreamsLookup.Local local = StreamsForwarding.local(streamsLookup, subscriberId, "/v1/segments/"
                + segment.id() + "/members/" + StreamsLookup.encode(subscriberId), forwarded, authorization);
        // an archived segment has no members, even before the stream tasks' rescan removed them
        Optional<io.cohort.segment.domain.Membership> member = segment.archived() ? Optional.empty()
                : local.memberships().stream().filter(m -> m.segmentId().equals(segment.id())).findFirst();
        SubscriberView view = local.view() == null ? SubscriberView.empty(subscriberId) : local.view();
        return new Responses.Membership(segment.id().toString(), subscriberId, member.isPresent(),
                member.map(io.cohort.segment.domain.Membership::holdout).orElse(false),
                member.map(io.cohort.segment.domain.Membership::enteredAt).orElse(null),
                lookalikes.explain(segment, view.asOf(clock.instant())));
    }

    private Responses.Membership membershipFromDatabase(String id, String subscriberId) {
        Segment segment = find(id);
        SubscriberView view = views.find(subscriberId).orElse(SubscriberView.empty(subscriberId));
        Optional<MembershipRepository.Member> member = memberships.find(segment.id(), subscriberId);
        return new Responses.Membership(segment.id().toString(), subscriberId, member.isPresent(),
                member.map(MembershipRepository.Member::holdout).orElse(false),
                member.map(MembershipRepository.Member::enteredAt).orElse(null),
                lookalikes.explain(segment, view.asOf(clock.instant())));
    }

    private static Optional<UUID> segmentId(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @RolesAllowed(Scopes.SEGMENTS_READ)
    @GET
    @Path("/{id}/backfill")
    @Operation(summary = "The newest backfill of the segment (create or edit): processed of total views, transitions")
    public Responses.Job backfill(@PathParam("id") String id,
            @Parameter(hidden = true) @HeaderParam(StreamsLookup.FORWARDED_HEADER) String forwarded) {
        Segment segment = find(id);
        Responses.Job job = jobs.latestBackfill(segment.id()).map(JobResource::job)
                .orElseThrow(() -> new NotFoundException("Segment " + id + " has no backfill recorded"));
        if (forwarded != null && streamsLookup.enabled()) {
            // another instance summing every instance's progress: this instance's tasks only
            var local = backfillProgress.local(segment.id(), job.segmentVersion());
            return new Responses.Job(job.id(), job.kind(), job.segmentId(), job.segmentVersion(),
                    local.complete() ? "completed" : "running", local.processed(), local.total(), local.entered(),
                    local.exited(),
                    job.startedAt(), null);
        }
        return job;
    }

    @RolesAllowed(Scopes.SEGMENTS_READ)
    @GET
    @Path("/{id}/size")
    @Operation(summary = "The current size: members, send-eligible (neither held out nor suppressed), held out")
    public Responses.Size size(@PathParam("id") String id,
            @Parameter(hidden = true) @HeaderParam(StreamsLookup.FORWARDED_HEADER) String forwarded) {
        Segment segment = find(id);
        if (streamsPages.enabled()) {
            StreamsMembers.Counts counts = streamsPages.counts(segment.id(), forwarded != null);
            return new Responses.Size(segment.id().toString(), counts.size(), counts.eligible(), counts.holdout());
        }
        SizeHistoryRepository.Sizes counts = sizes.count(segment.id());
        return new Responses.Size(segment.id().toString(), counts.size(), counts.eligible(), counts.holdout());
    }

    @RolesAllowed(Scopes.SEGMENTS_READ)
    @GET
    @Path("/{id}/sizes")
    @Operation(summary = "Size per UTC day (members, send-eligible, held out), recorded by every sweep, oldest first")
    public Responses.SizeHistory sizes(@PathParam("id") String id) {
        Segment segment = find(id);
        return new Responses.SizeHistory(segment.id().toString(), sizes.history(segment.id()).stream()
                .map(d -> new Responses.SizeDay(d.day(), d.sizes().size(), d.sizes().eligible(), d.sizes().holdout(),
                        d.recordedAt(), d.alert()))
                .toList());
    }

    @RolesAllowed(Scopes.SEGMENTS_WRITE)
    @POST
    @Path("/{id}/snapshots")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Freeze the current member list (with holdout and suppression flags) for measuring impact later")
    public Response snapshot(@PathParam("id") String id, Object body, @Context UriInfo uri) {
        Segment segment = find(id);
        String label = null;
        if (body instanceof java.util.Map<?, ?> map) {
            List<FieldViolation> errors = new ArrayList<>();
            for (Object key : map.keySet()) {
                if (!"label".equals(key)) {
                    errors.add(new FieldViolation("/" + key, "is not a known property; a snapshot has label"));
                }
            }
            Object raw = map.get("label");
            if (raw != null && !(raw instanceof String s && !s.isBlank() && s.length() <= 200)) {
                errors.add(new FieldViolation("/label", "must be a non-blank string of at most 200 characters"));
            }
            if (!errors.isEmpty()) {
                throw new ValidationFailedException("The snapshot request is invalid", errors);
            }
            label = (String) raw;
        } else if (body != null) {
            throw new ValidationFailedException("The snapshot request is invalid",
                    List.of(new FieldViolation("/", "must be a JSON object")));
        }
        var taken = streamsPages.enabled()
                ? streamsSnapshots.take(segment, label, sink -> streamsPages.forEach(segment.id(),
                        new StreamsMembers.Filter(MembershipRepository.HoldoutFilter.INCLUDE, false), EXPORT_PAGE,
                        m -> sink.accept(new SnapshotRepository.Member(m.subscriberId(), m.holdout(),
                                Boolean.TRUE.equals(m.suppressed())))))
                : store.snapshot(segment, label);
        return Response.created(uri.getAbsolutePathBuilder().path(taken.id().toString()).build())
                .entity(snapshot(taken)).build();
    }

    // the snapshots' label, time and size; their frozen members are a member page (members:read)
    @RolesAllowed(Scopes.SEGMENTS_READ)
    @GET
    @Path("/{id}/snapshots")
    @Operation(summary = "The segment's frozen snapshots, oldest first")
    public Responses.Snapshots snapshots(@PathParam("id") String id) {
        Segment segment = find(id);
        return new Responses.Snapshots(segment.id().toString(),
                snapshots.list(segment.id()).stream().map(SegmentResource::snapshot).toList());
    }

    @RolesAllowed(Scopes.MEMBERS_READ)
    @GET
    @Path("/{id}/snapshots/{snapshotId}")
    @Operation(summary = "One snapshot with a page of its frozen members in subscriber id order")
    public Responses.SnapshotPage snapshot(@PathParam("id") String id, @PathParam("snapshotId") String snapshotId,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Segment segment = find(id);
        UUID sid;
        try {
            sid = UUID.fromString(snapshotId);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("No snapshot with id " + snapshotId);
        }
        var snapshot = snapshots.find(segment.id(), sid)
                .orElseThrow(() -> new NotFoundException("No snapshot with id " + snapshotId));
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
        var rows = snapshots.members(sid, after, pageSize + 1);
        boolean more = rows.size() > pageSize;
        var page = more ? rows.subList(0, pageSize) : rows;
        return new Responses.SnapshotPage(snapshot(snapshot),
                page.stream().map(m -> new Responses.SnapshotMember(m.subscriberId(), m.holdout(), m.suppressed()))
                        .toList(),
                more ? MembersCursor.encode(page.get(page.size() - 1).subscriberId()) : null);
    }

    private static Responses.Snapshot snapshot(SnapshotRepository.Snapshot s) {
        return new Responses.Snapshot(s.id().toString(), s.segmentId().toString(), s.segmentVersion(), s.label(),
                s.takenAt(), s.size());
    }

    @RolesAllowed(Scopes.MEMBERS_READ)
    @GET
    @Path("/{id}/sample")
    @Operation(summary = "A reproducible sample of the members for human review: those whose hash falls below percent")
    public Responses.Sample sample(@PathParam("id") String id,
            @Parameter(description = "share of members, above 0 and at most 100 (default 2)") @QueryParam("percent")
            String percent) {
        Segment segment = find(id);
        double share = 2;
        if (percent != null && !percent.isEmpty()) {
            try {
                share = Double.parseDouble(percent);
            } catch (NumberFormatException e) {
                share = Double.NaN;
            }
            if (!(share > 0 && share <= 100)) {
                throw new ValidationFailedException("The query parameters are invalid",
                        List.of(new FieldViolation("?percent", "must be a number above 0 and at most 100")));
            }
        }
        double cut = share;
        List<Responses.Member> items = new ArrayList<>();
        java.util.function.Consumer<Responses.Member> sampled = m -> {
            if (Holdout.bucket("sample:" + segment.id() + ":" + m.subscriberId()) < cut && items.size() < MAX_SAMPLE) {
                items.add(m.withoutSuppressed());
            }
        };
        if (streamsPages.enabled()) {
            streamsPages.forEach(segment.id(), new StreamsMembers.Filter(MembershipRepository.HoldoutFilter.INCLUDE,
                    false), EXPORT_PAGE, sampled);
        } else {
            memberships.forEachMember(segment.id(), MembershipRepository.HoldoutFilter.INCLUDE, EXPORT_PAGE,
                    m -> sampled.accept(member(m)));
        }
        return new Responses.Sample(segment.id().toString(), share, items);
    }

    /** {@code members} hands every member, in subscriber order, to the row writer it is given. */
    private Response csvExport(Segment segment,
            java.util.function.Consumer<java.util.function.Consumer<Responses.Member>> members) {
        StreamingOutput body = output -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
            writer.write("subscriber_id,entered_at,holdout\n");
            java.util.function.Consumer<Responses.Member> row = m -> {
                try {
                    writer.write(CsvField.escape(m.subscriberId()) + "," + m.enteredAt() + "," + m.holdout() + "\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
            members.accept(row);
            writer.flush();
        };
        return Response.ok(body, CSV + "; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"segment-" + segment.id() + "-members.csv\"")
                .build();
    }

    private void published(MembershipStore.CreatedSegment change) {
        metrics.transitions(change.transitions());
        if (!change.transitions().isEmpty()) {
            relay.nudge();
        }
    }

    /** The seeds cap active segments at 20; more is allowed but warned about. */
    private List<String> warnings() {
        long active = segments.countActive();
        return active > MAX_ACTIVE_SEGMENTS
                ? List.of(active + " active segments exceed the recommended maximum of " + MAX_ACTIVE_SEGMENTS)
                : List.of();
    }

    private static Responses.Member member(MembershipRepository.Member m) {
        return new Responses.Member(m.subscriberId(), m.enteredAt(), m.holdout());
    }

    /** {@code ?holdout} and {@code ?eligible} of a listing; what is wrong with them is added to {@code errors}. */
    private static StreamsMembers.Filter listingFilter(String holdout, String eligible, List<FieldViolation> errors) {
        MembershipRepository.HoldoutFilter filter = holdoutFilter(holdout, errors);
        boolean eligibleOnly = false;
        if (eligible != null && !eligible.isEmpty() && !eligible.equals("false")) {
            if (eligible.equals("true")) {
                eligibleOnly = true;
                if (filter == MembershipRepository.HoldoutFilter.ONLY) {
                    errors.add(new FieldViolation("?holdout", "cannot be only with eligible=true (held-out members "
                            + "are never send-eligible)"));
                }
            } else {
                errors.add(new FieldViolation("?eligible", "must be true or false"));
            }
        }
        return new StreamsMembers.Filter(filter, eligibleOnly);
    }

    private static MembershipRepository.HoldoutFilter holdoutFilter(String raw, List<FieldViolation> errors) {
        if (raw == null || raw.isEmpty() || raw.equals("include")) {
            return MembershipRepository.HoldoutFilter.INCLUDE;
        }
        if (raw.equals("exclude")) {
            return MembershipRepository.HoldoutFilter.EXCLUDE;
        }
        if (raw.equals("only")) {
            return MembershipRepository.HoldoutFilter.ONLY;
        }
        errors.add(new FieldViolation("?holdout", "must be include, exclude or only"));
        return MembershipRepository.HoldoutFilter.INCLUDE;
    }

    private static ClientErrorException archivedConflict(Segment segment) {
        return new ClientErrorException("Segment " + segment.id() + " is archived and can no longer be changed",
                Response.Status.CONFLICT);
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("No segment with id " + id);
    }

    private Segment find(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("No segment with id " + id);
        }
        return segments.findById(uuid).orElseThrow(() -> notFound(id));
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
