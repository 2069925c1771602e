package io.cohort.ingest.api;

import io.cohort.contracts.EventType;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.ingest.domain.BatchValidator;
import io.cohort.ingest.domain.EventValidator;
import io.cohort.ingest.domain.ValidationResult;
import io.cohort.ingest.messaging.DeadLetter;
import io.cohort.ingest.messaging.DeadLetterPublisher;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Segment HTTP Tracking API surface. Bodies are taken as plain JSON so every field can be checked by
 * pointer; gzip bodies ({@code Content-Encoding: gzip}) are inflated by the HTTP layer and
 * {@code text/plain} JSON bodies (what browser libraries send to avoid CORS preflights) are read as
 * JSON by {@link PlainTextAsJson}. Every refused call also goes to {@code cohort.events.dlq.v1}.
 */
// @PermitAll: tracking calls are public by design: write keys sit in browser scripts and are checked
// in code (WriteKeyAuthentication), never a bearer token
@PermitAll
@Path("/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tracking", description = "Segment-compatible tracking calls")
public class TrackingResource {

    private final EventValidator validator = new EventValidator();
    private final BatchValidator batchValidator = new BatchValidator(validator);
    private final EventIntake intake;
    private final DeadLetterPublisher deadLetters;
    private final WriteKeyAuthentication authentication;
    private final Clock clock;

    public TrackingResource(EventIntake intake, DeadLetterPublisher deadLetters, WriteKeyAuthentication authentication,
            Clock clock) {
        this.authentication = authentication;
        this.intake = intake;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    @POST
    @Path("/track")
    @Operation(summary = "Record an action a subscriber performed")
    public EventIntake.IntakeResult track(Map<String, Object> body, @Context HttpHeaders headers) {
        return single(headers, body, EventType.TRACK);
    }

    @POST
    @Path("/identify")
    @Operation(summary = "Tie a subscriber to their traits")
    public EventIntake.IntakeResult identify(Map<String, Object> body, @Context HttpHeaders headers) {
        return single(headers, body, EventType.IDENTIFY);
    }

    @POST
    @Path("/page")
    @Operation(summary = "Record a page view")
    public EventIntake.IntakeResult page(Map<String, Object> body, @Context HttpHeaders headers) {
        return single(headers, body, EventType.PAGE);
    }

    @POST
    @Path("/screen")
    @Operation(summary = "Record a mobile app screen view")
    public EventIntake.IntakeResult screen(Map<String, Object> body, @Context HttpHeaders headers) {
        return single(headers, body, EventType.SCREEN);
    }

    @POST
    @Path("/group")
    @Operation(summary = "Associate a subscriber with an account")
    public EventIntake.IntakeResult group(Map<String, Object> body, @Context HttpHeaders headers) {
        return single(headers, body, EventType.GROUP);
    }

    @POST
    @Path("/alias")
    @Operation(summary = "Link a previous identity (previousId) to a subscriber (userId)",
            description = "Published as an alias event keyed by userId; previousId travels in properties.previousId.")
    public EventIntake.IntakeResult alias(Map<String, Object> body, @Context HttpHeaders headers) {
        return single(headers, body, EventType.ALIAS);
    }

    @POST
    @Path("/batch")
    @Operation(summary = "Send up to 1000 calls at once; valid calls are accepted, invalid ones reported by index",
            description = "Partial success: when at least one call is valid the answer is 200 with accepted, "
                    + "duplicates and rejected[{index, errors[{pointer, message}]}]; only the valid calls are "
                    + "published. When every call is invalid, or the batch itself is (no batch array, more than "
                    + "1000 calls, context not an object), the answer is a 400 problem listing every error.")
    public EventIntake.IntakeResult batch(Map<String, Object> body, @Context HttpHeaders headers) {
        return acceptBatch(headers, body, "/v1/batch");
    }

    @POST
    @Path("/import")
    @Operation(summary = "Segment's historical import endpoint: the same as /v1/batch")
    public EventIntake.IntakeResult importBatch(Map<String, Object> body, @Context HttpHeaders headers) {
        return acceptBatch(headers, body, "/v1/import");
    }

    @POST
    @Path("/merge")
    @Operation(summary = "RudderStack's merge call: not supported (501 problem)",
            description = "Cohort links identities with alias (previousId to userId) and with identify calls that "
                    + "carry both userId and anonymousId; RudderStack's mergeProperties (email, phone, ...) are not "
                    + "identities Cohort keys subscribers by, so a merge is refused rather than guessed.")
    public Response merge() {
        return ProblemResponses.problem(new ProblemDetail("https://cohort.dev/problems/not-implemented",
                "Not Implemented", 501, "RudderStack merge calls are not supported. Link identities with "
                        + "POST /v1/alias {userId, previousId} or an identify carrying both userId and anonymousId.",
                "/v1/merge", List.of()));
    }

    private EventIntake.IntakeResult acceptBatch(HttpHeaders headers, Map<String, Object> body, String endpoint) {
        authentication.requireBodyKey(headers, body);
        Instant receivedAt = Instant.now(clock);
        BatchValidator.BatchResult result = batchValidator.validate(body, receivedAt);
        List<DeadLetter> letters = result.rejected().stream()
                .map(r -> DeadLetter.of(r.call(), endpoint, r.errors(), receivedAt)).toList();
        if (result.nothingAcceptable()) {
            deadLetters.publishAll(letters);
            throw new ValidationFailedException("The batch has no valid call; none was accepted", result.allErrors());
        }
        EventIntake.IntakeResult accepted = intake.accept(result.envelopes());
        deadLetters.publishAll(letters);
        return accepted.withRejected(result.rejected().stream()
                .map(r -> new EventIntake.Rejection(r.index(), r.errors())).toList());
    }

    private EventIntake.IntakeResult single(HttpHeaders headers, Map<String, Object> body, EventType type) {
        authentication.requireBodyKey(headers, body);
        Instant receivedAt = Instant.now(clock);
        ValidationResult result = validator.validate(body, type, "", Map.of(), receivedAt);
        if (!result.isValid()) {
            deadLetters.publishAll(List.of(DeadLetter.of(body, "/v1/" + type.wireName(), result.errors(), receivedAt)));
            throw new ValidationFailedException("The " + type.wireName() + " call is invalid", result.errors());
        }
        return intake.accept(List.of(result.envelope()));
    }
}
