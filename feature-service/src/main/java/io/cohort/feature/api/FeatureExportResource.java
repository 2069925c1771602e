package io.cohort.feature.api;

import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.feature.persistence.TrainingSets;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Point-in-time features without a label, for scoring and analysis: the same rows as a training set's
 * (every subscriber first seen before the cutoff, features as of the start of asOf's UTC day) for any
 * asOf up to now, as no label horizon has to pass. Streamed as NDJSON in pages.
 */
@Path("/v1/feature-exports")
@Tag(name = "training sets")
public class FeatureExportResource {

    private final TrainingSets sets;
    private final ObjectMapper json;
    private final Clock clock;
    private final int keepDays;

    public FeatureExportResource(TrainingSets sets, ObjectMapper json, Clock clock,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "cohort.feature.rollup.keep-days",
                    defaultValue = "730") int keepDays) {
        this.sets = sets;
        this.json = json;
        this.clock = clock;
        this.keepDays = keepDays;
    }

    /** Request body: {@code asOf} (ISO-8601 instant, up to now; cut to the start of its UTC day). */
    public record Request(String asOf) {
    }

    @RolesAllowed(Scopes.TRAINING_SETS_READ)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({PointInTimeRequests.NDJSON, ProblemDetail.MEDIA_TYPE})
    @Operation(summary = "Stream point-in-time features without a label as NDJSON (one row per subscriber)")
    @APIResponse(responseCode = "200", description = "One TrainingSets.FeatureRow per line",
            content = @Content(mediaType = PointInTimeRequests.NDJSON,
                    schema = @Schema(implementation = TrainingSets.FeatureRow.class)))
    @APIResponse(responseCode = "400", description = "Invalid request, each field named by JSON pointer",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    public Response create(Request request) {
        if (request == null) {
            throw new InvalidRequestException(List.of(new FieldViolation("/", "a JSON body is required")));
        }
        List<FieldViolation> errors = new ArrayList<>();
        Instant cutoff = PointInTimeRequests.cutoff(request.asOf(), clock, keepDays, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        // once per export: every row is scored against the customer base of the cutoff's eve
        io.cohort.feature.domain.Rfm.Boundaries rfm = sets.rfmAsOf(cutoff);
        return Response.ok(PointInTimeRequests.ndjson(json, (after, limit) -> sets.featurePage(cutoff, after, limit, rfm),
                TrainingSets.FeatureRow::subscriberId), PointInTimeRequests.NDJSON).build();
    }
}
