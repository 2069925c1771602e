package io.cohort.ingest.api;

import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.ingest.domain.ConsentCalls;
import io.cohort.ingest.domain.EventValidator;
import io.cohort.ingest.domain.StorableValues;
import io.cohort.ingest.domain.ValidationResult;
import io.cohort.ingest.persistence.SubscriberRequestRepository;
import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Consent and erasure (GDPR/CCPA). Erasure is published on the compacted {@code cohort.erasure.v1}
 * topic, from which every service deletes what it holds on the subscriber and tombstones its own
 * topics; consent is a {@code Consent Updated} event on {@code cohort.events.v1}. Both answer 202
 * with a request id whose status {@code GET /v1/requests/{id}} returns. All three need the scope
 * {@code privacy:write}: a bearer token holding it, or a server write key granted it
 * ({@link WriteKeyMechanism}); a client key is refused with the 403 problem naming the scope.
 */
@RolesAllowed(Scopes.PRIVACY_WRITE)
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "subscribers", description = "Consent and erasure of a subscriber")
public class ErasureResource {

    private static final Logger LOG = Logger.getLogger(ErasureResource.class);
    private static final int MAX_ID_LENGTH = 255;

    private final SubscriberRequests requests;
    private final SubscriberRequestRepository repository;
    private final EventValidator validator = new EventValidator();
    private final Clock clock;

    public ErasureResource(SubscriberRequests requests, SubscriberRequestRepository repository, Clock clock) {
        this.requests = requests;
        this.repository = repository;
        this.clock = clock;
    }

    @DELETE
    @Path("/subscribers/{id}")
    @Operation(summary = "Request erasure of everything held about a subscriber",
            description = "202 {requestId, requestedAt, status: published}; the status stays readable at "
                    + "GET /v1/requests/{requestId}. 503 problem (instance: the status URL) when the request is "
                    + "recorded but the broker did not take it: do not resend, it is published by a retry.")
    public Response erase(@PathParam("id") String subscriberId) {
        checkId(subscriberId);
        return answer("erasure", requests.erase(subscriberId));
    }

    @PUT
    @Path("/subscribers/{id}/consent")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record a consent change: {channel, status: granted|revoked, source?, timestamp?}",
            description = "Published as a 'Consent Updated' track event keyed by the subscriber (properties channel, "
                    + "granted, status, source). 202 {requestId, requestedAt, status}; 503 problem as for erasure "
                    + "when the request is recorded but not published yet.")
    public Response consent(@PathParam("id") String subscriberId, Map<String, Object> body) {
        checkId(subscriberId);
        UUID requestId = UUID.randomUUID();
        ConsentCalls.Result consent = ConsentCalls.of(subscriberId, body, "consent-" + requestId);
        if (!consent.isValid()) {
            throw new ValidationFailedException("The consent change is invalid", consent.errors());
        }
        Instant receivedAt = Instant.now(clock);
        ValidationResult event = validator.validate(consent.call(), null, "", Map.of(), receivedAt);
        if (!event.isValid()) {
            throw new ValidationFailedException("The consent change is invalid", event.errors());
        }
        return answer("consent", requests.consent(requestId, event.envelope()));
    }

    /** 202 when the request is on Kafka; 503 naming the request when it is recorded and waits for the retry. */
    private static Response answer(String kind, SubscriberRequests.Recorded recorded) {
        String statusUrl = "/v1/requests/" + recorded.requestId();
        if (!recorded.published()) {
            ProblemDetail problem = new ProblemDetail("about:blank", "Service Unavailable", 503, "The " + kind
                    + " request " + recorded.requestId() + " is recorded but could not be published yet; it will be "
                    + "published by a retry, do not resend it. Its status: " + statusUrl, statusUrl, List.of());
            return Response.fromResponse(ProblemResponses.problem(problem)).header("Retry-After", "30").build();
        }
        LOG.infof("%s request %s published", kind, recorded.requestId());
        return Response.accepted(new Accepted(recorded.requestId().toString(), recorded.requestedAt(),
                recorded.status(), statusUrl)).build();
    }

    @GET
    @Path("/requests/{requestId}")
    @Operation(summary = "Status of a consent or erasure request",
            description = "status 'pending': recorded, waiting for the outbox's retry to publish it; "
                    + "'published': the request's event is on Kafka (cohort.events.v1 for consent, "
                    + "cohort.erasure.v1 for erasure), from where every service applies it.")
    public Response status(@PathParam("requestId") String requestId) {
        UUID id;
        try {
            id = UUID.fromString(requestId);
        } catch (IllegalArgumentException e) {
            return notFound(requestId);
        }
        return repository.find(id)
                .map(r -> Response.ok(new RequestStatus(r.id().toString(), r.kind(), r.subscriberId(), r.status(),
                        r.requestedAt(), r.publishedAt())).build())
                .orElseGet(() -> notFound(requestId));
    }

    private static Response notFound(String requestId) {
        return ProblemResponses.problem(ProblemDetail.of(404, "Not Found", "No request " + requestId));
    }

    static void checkId(String subscriberId) {
        if (subscriberId.isBlank() || subscriberId.length() > MAX_ID_LENGTH) {
            throw new ValidationFailedException("The subscriber id is invalid",
                    List.of(new FieldViolation("/id", "must be 1 to " + MAX_ID_LENGTH + " characters")));
        }
        if (StorableValues.hasNul(subscriberId)) {
            throw new ValidationFailedException("The subscriber id is invalid",
                    List.of(new FieldViolation("/id", "must not contain the NUL character (%00)")));
        }
    }

    /** 202 body of consent and erasure: the request id, when it was made, its status and where to read it. */
    public record Accepted(String requestId, Instant requestedAt, String status, String statusUrl) {
    }

    /** {@code GET /v1/requests/{id}}: kind is consent or erasure; status pending or published. */
    public record RequestStatus(String requestId, String kind, String subscriberId, String status, Instant requestedAt,
            Instant publishedAt) {
    }
}
