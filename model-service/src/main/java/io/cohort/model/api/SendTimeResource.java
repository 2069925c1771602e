package io.cohort.model.api;

import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.model.domain.ModelFamilies;
import io.cohort.model.domain.sendtime.SendTimeModel;
import io.cohort.model.messaging.SegmentServiceClient;
import io.cohort.model.persistence.FeatureSnapshot;
import io.cohort.model.persistence.FeatureSnapshotRepository;
import io.cohort.model.persistence.ModelRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Best send hours of a segment's members, smoothed toward the segment's own prior (which is itself
 * smoothed toward the population): {@link SendTimeModel#forSegment}. Membership comes from
 * segment-service's API (or from the caller as an id list), never from its database; the hours
 * published on {@code cohort.scores.v1} stay smoothed toward the population only, because a
 * subscriber belongs to many segments and a published score cannot depend on which one is mailed.
 */
@Path("/v1/sendtime/best-hours")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "scoring")
@Blocking
public class SendTimeResource {

    private static final int READ_PAGE = 1000;

    private final ModelRegistry registry;
    private final FeatureSnapshotRepository snapshots;
    private final SegmentServiceClient segments;
    private final ObjectMapper json;

    public SendTimeResource(ModelRegistry registry, FeatureSnapshotRepository snapshots, SegmentServiceClient segments,
            ObjectMapper json) {
        this.registry = registry;
        this.snapshots = snapshots;
        this.segments = segments;
        this.json = json;
    }

    /** The segment as segment-service's id or as its member ids (exactly one). */
    public record BestHoursRequest(String segmentId, List<String> subscriberIds) {

        /** Every parameter a best-hours body may hold. */
        static final Set<String> PARAMETERS = Set.of("segmentId", "subscriberIds");

        /** Reads a body strictly (types checked by {@code fields}). */
        static BestHoursRequest of(BodyFields fields) {
            return new BestHoursRequest(fields.text("segmentId"), fields.texts("subscriberIds"));
        }
    }

    /**
     * @param members ids in the segment
     * @param membersWithFeatures members model-service has a feature vector for (the rest are not in items)
     * @param engagements the members' summed hour-of-week engagements (S)
     * @param weight S / (S + λ): the share of the segment's own engagements in its prior
     */
    public record SegmentPrior(String segmentId, int members, int membersWithFeatures, double engagements,
            double weight, int bestHour) {
    }

    /** @param basis {@code own history} (at least minEvents engagements) or {@code segment prior} */
    public record BestHour(String subscriberId, int hourOfWeek, double engagements, String basis) {
    }

    public record BestHoursResponse(String family, int version, SegmentPrior segment, int populationBestHour,
            double priorStrength, double segmentPriorStrength, int minEvents, List<BestHour> items) {
    }

    @RolesAllowed(Scopes.MODELS_READ)
    @POST
    @Operation(summary = "Best hour of week per member of a segment, smoothed toward the segment's prior",
            description = "Body {segmentId} (members read from segment-service) or {subscriberIds:[...]}. The segment"
                    + " prior is the members' engagement histogram smoothed toward the population prior with λ = 100"
                    + " pseudo-events; each member is smoothed toward it (κ and minEvents of the active sendtime"
                    + " version); members with fewer than minEvents engagements get the segment prior's best hour.")
    @APIResponse(responseCode = "400", description = "invalid request (pointers /segmentId, /subscriberIds;"
            + " / when the body is not a JSON object)",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "404", description = "segment-service has no such segment",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "409", description = "no active sendtime version",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "503", description = "segment-service unreachable",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "415", description = "the body is not JSON",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = BestHoursRequest.class)))
    public BestHoursResponse bestHours(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        BodyFields fields = BodyFields.read(json, contentType, body, BestHoursRequest.PARAMETERS);
        BestHoursRequest request = BestHoursRequest.of(fields);
        fields.requireValid();
        boolean bySegment = request.segmentId() != null;
        boolean byIds = request.subscriberIds() != null;
        if (bySegment == byIds) {
            throw new ValidationFailedException("The send-time request is invalid", List.of(new FieldViolation(
                    bySegment ? "/subscriberIds" : "/segmentId", "give exactly one of segmentId and subscriberIds")));
        }
        if (byIds && request.subscriberIds().isEmpty()) {
            throw new ValidationFailedException("The send-time request is invalid",
                    List.of(new FieldViolation("/subscriberIds", "must not be empty")));
        }
        ModelRegistry.ActivePredictor active = registry.activePredictor(ModelFamilies.SENDTIME)
                .orElseThrow(() -> new ProblemException(ProblemDetail.of(409, "No active model",
                        "Family '" + ModelFamilies.SENDTIME + "' has no active version; train it first")));
        if (!(active.predictor() instanceof SendTimeModel population)) {
            throw new IllegalStateException("the active sendtime version is not a send-time model");
        }
        Set<String> members = bySegment ? members(request.segmentId()) : new LinkedHashSet<>(request.subscriberIds());

        Map<String, double[]> countsById = new TreeMap<>();
        double[] segmentCounts = new double[SendTimeModel.HOURS];
        String after = null;
        while (true) {
            List<FeatureSnapshot> page = snapshots.page(after, READ_PAGE);
            if (page.isEmpty()) {
                break;
            }
            for (FeatureSnapshot snapshot : page) {
                if (members.contains(snapshot.subscriberId())) {
                    double[] counts = SendTimeModel.counts(snapshot.features());
                    countsById.put(snapshot.subscriberId(), counts);
                    for (int h = 0; h < counts.length; h++) {
                        segmentCounts[h] += counts[h];
                    }
                }
            }
            after = page.get(page.size() - 1).subscriberId();
        }
        SendTimeModel segment = population.forSegment(segmentCounts);
        double engagements = sum(segmentCounts);
        List<BestHour> items = new ArrayList<>(countsById.size());
        countsById.forEach((id, counts) -> {
            double own = sum(counts);
            items.add(new BestHour(id, segment.bestHour(counts), own,
                    own < population.minEvents() ? "segment prior" : "own history"));
        });
        return new BestHoursResponse(ModelFamilies.SENDTIME, active.version(),
                new SegmentPrior(bySegment ? request.segmentId() : null, members.size(), countsById.size(),
                        engagements, SendTimeModel.segmentWeight(engagements), segment.populationBestHour()),
                population.populationBestHour(), population.priorStrength(), SendTimeModel.SEGMENT_PRIOR_STRENGTH,
                population.minEvents(), items);
    }

    private Set<String> members(String segmentId) {
        try {
            return segments.members(segmentId).orElseThrow(() -> new ProblemException(
                    ProblemDetail.of(404, "Unknown segment", "segment-service has no segment '" + segmentId + "'")));
        } catch (IllegalStateException e) {
            throw new ProblemException(ProblemDetail.of(503, "Segment service unavailable", e.getMessage()));
        }
    }

    private static double sum(double[] values) {
        double total = 0;
        for (double v : values) {
            total += v;
        }
        return total;
    }
}
