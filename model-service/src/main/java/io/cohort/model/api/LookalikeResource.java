package io.cohort.model.api;

import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.model.domain.lookalike.Lookalikes;
import io.cohort.model.messaging.SegmentServiceClient;
import io.cohort.model.persistence.FeatureSnapshot;
import io.cohort.model.persistence.FeatureSnapshotRepository;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Subscribers who look like a seed audience (k nearest seeds in standardised feature space). */
@Path("/v1/lookalikes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "scoring")
@Blocking
public class LookalikeResource {

    public static final int MAX_TARGET = 100_000;
    private static final int READ_PAGE = 1000;

    private final FeatureSnapshotRepository snapshots;
    private final SegmentServiceClient segments;
    private final ObjectMapper json;

    public LookalikeResource(FeatureSnapshotRepository snapshots, SegmentServiceClient segments, ObjectMapper json) {
        this.snapshots = snapshots;
        this.segments = segments;
        this.json = json;
    }

    /** Request: the seed as ids or a segment (exactly one), how many lookalikes, an optional seed for sampling. */
    public record LookalikeRequest(List<String> seedSubscriberIds, String seedSegmentId, Integer targetSize,
            Long seed) {

        /** Every parameter a lookalike body may hold. */
        static final Set<String> PARAMETERS = Set.of("seedSubscriberIds", "seedSegmentId", "targetSize", "seed");

        /** Reads a body strictly: {@code "targetSize": 10.5} is an error, not 10 (types checked by {@code fields}). */
        static LookalikeRequest of(BodyFields fields) {
            return new LookalikeRequest(fields.texts("seedSubscriberIds"), fields.text("seedSegmentId"),
                    fields.integer("targetSize"), fields.integral("seed"));
        }
    }

    public record LookalikeResponse(String method, int seeds, int candidates, int k, List<String> features,
            List<Lookalikes.Match> items, Lookalikes.Evaluation evaluation) {
    }

    @RolesAllowed(Scopes.MODELS_READ)
    @POST
    @Operation(summary = "The most similar non-members of a seed audience, with similarity in (0, 1]",
            description = "Body {seedSubscriberIds:[...]} or {seedSegmentId}, plus targetSize (1..100000). The "
                    + "evaluation holds out 20% of the seeds and reports their recall in the top targetSize.")
    @APIResponse(responseCode = "400", description = "invalid request (pointers /seedSubscriberIds, /seedSegmentId, /targetSize,"
            + " /seed; / when the body is not a JSON object)",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "415", description = "the body is not JSON",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = LookalikeRequest.class)))
    public LookalikeResponse find(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        BodyFields fields = BodyFields.read(json, contentType, body, LookalikeRequest.PARAMETERS);
        LookalikeRequest request = LookalikeRequest.of(fields);
        fields.requireValid();
        List<FieldViolation> errors = new ArrayList<>();
        boolean byIds = request.seedSubscriberIds() != null;
        boolean bySegment = request.seedSegmentId() != null;
        if (byIds == bySegment) {
            errors.add(new FieldViolation(byIds ? "/seedSegmentId" : "/seedSubscriberIds",
                    "give exactly one of seedSubscriberIds and seedSegmentId"));
        } else if (byIds && request.seedSubscriberIds().isEmpty()) {
            errors.add(new FieldViolation("/seedSubscriberIds", "must not be empty"));
        }
        if (request.targetSize() == null || request.targetSize() < 1 || request.targetSize() > MAX_TARGET) {
            errors.add(new FieldViolation("/targetSize", "must be between 1 and " + MAX_TARGET));
        }
        if (!errors.isEmpty()) {
            throw new ValidationFailedException("The lookalike request is invalid", errors);
        }
        Set<String> seeds;
        if (byIds) {
            seeds = new HashSet<>(request.seedSubscriberIds());
        } else {
            try {
                seeds = segments.members(request.seedSegmentId()).orElseThrow(() -> new ProblemException(
                        ProblemDetail.of(404, "Unknown segment", "segment-service has no segment '"
                                + request.seedSegmentId() + "'")));
            } catch (IllegalStateException e) {
                throw new ProblemException(ProblemDetail.of(503, "Segment service unavailable", e.getMessage()));
            }
        }
        Map<String, Map<String, Double>> population = new HashMap<>();
        String after = null;
        while (true) {
            List<FeatureSnapshot> page = snapshots.page(after, READ_PAGE);
            if (page.isEmpty()) {
                break;
            }
            page.forEach(s -> population.put(s.subscriberId(), s.features()));
            after = page.get(page.size() - 1).subscriberId();
        }
        if (seeds.stream().noneMatch(population::containsKey)) {
            throw new ValidationFailedException("The lookalike request is invalid", List.of(new FieldViolation(
                    byIds ? "/seedSubscriberIds" : "/seedSegmentId", "no seed subscriber has a feature vector")));
        }
        Lookalikes.Result result = Lookalikes.find(population, seeds, request.targetSize(),
                request.seed() == null ? 42 : request.seed());
        return new LookalikeResponse("knn-standardised", result.seeds(), result.candidates(), result.k(),
                result.features(), result.matches(), result.evaluation());
    }
}
