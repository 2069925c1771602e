package io.cohort.feature.api;

import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.feature.domain.PointInTime;
import io.cohort.feature.persistence.TrainingSets;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Point-in-time training sets: every subscriber first seen before the cutoff (asOf cut to the start
 * of its UTC day), with features as they were then and a label from the following horizon,
 * streamed as NDJSON in pages so the set never sits in memory whole.
 */
@Path("/v1/training-sets")
@Tag(name = "training sets")
public class TrainingSetResource {

    public static final String NDJSON = PointInTimeRequests.NDJSON;
    private static final int MAX_HORIZON_DAYS = 365;

    private final TrainingSets sets;
    private final ObjectMapper json;
    private final Clock clock;

    private final int keepDays;

    public TrainingSetResource(TrainingSets sets, ObjectMapper json, Clock clock,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "cohort.feature.rollup.keep-days",
                    defaultValue = "730") int keepDays) {
        this.sets = sets;
        this.json = json;
        this.clock = clock;
        this.keepDays = keepDays;
    }

    /** Request body: {@code asOf} (ISO-8601 instant), {@code horizonDays} (1..365), {@code label}. */
    public record Request(String asOf, Integer horizonDays, String label) {
    }

    @RolesAllowed(Scopes.TRAINING_SETS_READ)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({NDJSON, ProblemDetail.MEDIA_TYPE})
    @Operation(summary = "Stream a point-in-time training set as NDJSON (one row per subscriber)")
    @APIResponse(responseCode = "200", description = "One TrainingSets.Row per line",
            content = @Content(mediaType = NDJSON, schema = @Schema(implementation = TrainingSets.Row.class)))
    @APIResponse(responseCode = "400", description = "Invalid request, each field named by JSON pointer",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    public Response create(Request request) {
        List<FieldViolation> errors = new ArrayList<>();
        if (request == null) {
            throw new InvalidRequestException(List.of(new FieldViolation("/", "a JSON body is required")));
        }
        Instant cutoff = PointInTimeRequests.cutoff(request.asOf(), clock, keepDays, errors);
        Integer horizon = request.horizonDays();
        if (horizon == null || horizon < 1 || horizon > MAX_HORIZON_DAYS) {
            errors.add(new FieldViolation("/horizonDays", "must be between 1 and " + MAX_HORIZON_DAYS));
        }
        PointInTime.Label label = PointInTime.Label.parse(request.label()).orElse(null);
        if (label == null) {
            errors.add(new FieldViolation("/label", "must be one of clicked, ordered, unsubscribed, churned"));
        }
        if (errors.isEmpty() && cutoff.plus(Duration.ofDays(horizon)).isAfter(clock.instant())) {
            errors.add(new FieldViolation("/horizonDays", "the horizon after asOf (cut to its UTC day) has not fully "
                    + "elapsed yet (for features without a label up to now: POST /v1/feature-exports)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        int horizonDays = horizon;
        // once per set: every row is scored against the same customer base
        io.cohort.feature.domain.Rfm.Boundaries rfm = sets.rfmAsOf(cutoff);
        StreamingOutput body = PointInTimeRequests.ndjson(json,
                (after, limit) -> sets.page(cutoff, horizonDays, label, after, limit, rfm), TrainingSets.Row::subscriberId);
        return Response.ok(body, NDJSON).build();
    }
}
