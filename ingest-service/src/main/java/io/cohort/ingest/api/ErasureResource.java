package io.cohort.ingest.api;

import io.cohort.contracts.ErasureRequest;
import io.cohort.contracts.http.FieldViolation;
import io.cohort.ingest.messaging.ErasurePublisher;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Right to erasure: the request is published on the compacted {@code cohort.erasure.v1} topic,
 * from which every service deletes what it holds on the subscriber and tombstones its own topics.
 * Asynchronous by nature, hence 202.
 */
@Path("/v1/subscribers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "erasure", description = "Erase a subscriber's personal data everywhere")
public class ErasureResource {

    private static final Logger LOG = Logger.getLogger(ErasureResource.class);
    private static final int MAX_ID_LENGTH = 255;

    private final ErasurePublisher publisher;
    private final Clock clock;

    public ErasureResource(ErasurePublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Request erasure of everything held about a subscriber")
    public Response erase(@PathParam("id") String subscriberId) {
        if (subscriberId.isBlank() || subscriberId.length() > MAX_ID_LENGTH) {
            throw new ValidationFailedException("The subscriber id is invalid",
                    List.of(new FieldViolation("/id", "must be 1 to " + MAX_ID_LENGTH + " characters")));
        }
        ErasureRequest request = new ErasureRequest(ErasureRequest.SCHEMA_VERSION, UUID.randomUUID().toString(),
                subscriberId, Instant.now(clock));
        publisher.publish(request);
        LOG.infof("erasure request %s published", request.requestId());
        return Response.accepted(new Accepted(request.requestId(), request.requestedAt())).build();
    }

    public record Accepted(String requestId, Instant requestedAt) {
    }
}
