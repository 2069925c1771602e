package io.cohort.ingest.api;

import io.cohort.contracts.EventType;
import io.cohort.ingest.domain.BatchValidator;
import io.cohort.ingest.domain.EventValidator;
import io.cohort.ingest.domain.ValidationResult;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Segment HTTP Tracking API surface. Bodies are taken as plain JSON so every field can be checked by pointer. */
@Path("/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tracking", description = "Segment-compatible tracking calls")
public class TrackingResource {

    private final EventValidator validator = new EventValidator();
    private final BatchValidator batchValidator = new BatchValidator(validator);
    private final EventIntake intake;
    private final Clock clock;

    public TrackingResource(EventIntake intake, Clock clock) {
        this.intake = intake;
        this.clock = clock;
    }

    @POST
    @Path("/track")
    @Operation(summary = "Record an action a subscriber performed")
    public EventIntake.IntakeResult track(Map<String, Object> body) {
        return single(body, EventType.TRACK);
    }

    @POST
    @Path("/identify")
    @Operation(summary = "Tie a subscriber to their traits")
    public EventIntake.IntakeResult identify(Map<String, Object> body) {
        return single(body, EventType.IDENTIFY);
    }

    @POST
    @Path("/page")
    @Operation(summary = "Record a page view")
    public EventIntake.IntakeResult page(Map<String, Object> body) {
        return single(body, EventType.PAGE);
    }

    @POST
    @Path("/group")
    @Operation(summary = "Associate a subscriber with an account")
    public EventIntake.IntakeResult group(Map<String, Object> body) {
        return single(body, EventType.GROUP);
    }

    @POST
    @Path("/batch")
    @Operation(summary = "Send up to 1000 calls at once; all are accepted or, if any is invalid, none")
    public EventIntake.IntakeResult batch(Map<String, Object> body) {
        BatchValidator.BatchResult result = batchValidator.validate(body, Instant.now(clock));
        if (!result.isValid()) {
            throw new ValidationFailedException("The batch has invalid calls; none was accepted", result.errors());
        }
        return intake.accept(result.envelopes());
    }

    private EventIntake.IntakeResult single(Map<String, Object> body, EventType type) {
        ValidationResult result = validator.validate(body, type, "", Map.of(), Instant.now(clock));
        if (!result.isValid()) {
            throw new ValidationFailedException("The " + type.wireName() + " call is invalid", result.errors());
        }
        return intake.accept(List.of(result.envelope()));
    }
}
