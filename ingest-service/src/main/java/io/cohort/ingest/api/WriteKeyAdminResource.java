package io.cohort.ingest.api;

import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.ingest.domain.StorableValues;
import io.cohort.ingest.domain.WriteKeys;
import io.cohort.ingest.persistence.WriteKeyRepository;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Creates, lists and revokes tracking write keys. Guarded by {@code Authorization: Bearer <token>}
 * with the token from {@code cohort.ingest.admin-token}; without that setting the admin API is off
 * (403). A key is returned once, at creation; only its SHA-256 is stored.
 */
// @PermitAll: write-key administration is authenticated in code (WriteKeyAuthentication: the admin key
// only); a bearer scope replaces that with issue 17's ingest slice
@PermitAll
@Path("/v1/admin/write-keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Write keys for the tracking API")
public class WriteKeyAdminResource {

    private static final Logger LOG = Logger.getLogger(WriteKeyAdminResource.class);
    private static final int MAX_NAME_LENGTH = 200;

    private final WriteKeyRepository keys;
    private final Optional<String> adminToken;
    private final Clock clock;

    public WriteKeyAdminResource(WriteKeyRepository keys,
            @ConfigProperty(name = "cohort.ingest.admin-token") Optional<String> adminToken, Clock clock) {
        this.keys = keys;
        this.adminToken = adminToken.filter(t -> !t.isBlank());
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a write key; the key is in this response only")
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, CreateWriteKey body) {
        requireAdmin(authorization);
        String name = body == null ? null : body.name();
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new ValidationFailedException("The write key is invalid",
                    List.of(new FieldViolation("/name", "must be 1 to " + MAX_NAME_LENGTH + " characters")));
        }
        if (StorableValues.problem(name) != null) {
            throw new ValidationFailedException("The write key is invalid",
                    List.of(new FieldViolation("/name", StorableValues.problem(name))));
        }
        String key = WriteKeys.generate();
        UUID id = UUID.randomUUID();
        // microseconds: what PostgreSQL keeps, so the list shows the same instant
        Instant createdAt = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
        keys.insert(id, name, WriteKeys.sha256(key), createdAt);
        LOG.infof("write key %s created", id);
        return Response.status(201).entity(new CreatedWriteKey(id, name, key, createdAt)).build();
    }

    @GET
    @Operation(summary = "List write keys (never the keys themselves)")
    public List<WriteKeyRepository.StoredWriteKey> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        requireAdmin(authorization);
        return keys.list();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a write key; tracking calls with it are refused from now on")
    public Response revoke(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        requireAdmin(authorization);
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            uuid = null;
        }
        if (uuid == null || !keys.revoke(uuid, Instant.now(clock))) {
            return ProblemResponses.problem(ProblemDetail.of(404, "Not Found", "There is no write key " + id));
        }
        LOG.infof("write key %s revoked", uuid);
        return Response.noContent().build();
    }

    private void requireAdmin(String authorization) {
        if (adminToken.isEmpty()) {
            throw AuthenticationFailedException.forbidden(
                    "The admin API is disabled: cohort.ingest.admin-token is not set");
        }
        String given = WriteKeys.bearerToken(authorization).orElse(null);
        if (given == null || !WriteKeys.sameSecret(adminToken.get(), given)) {
            throw AuthenticationFailedException.unauthorized("A valid admin bearer token is required",
                    "Bearer realm=\"cohort-admin\"");
        }
    }

    public record CreateWriteKey(String name) {
    }

    public record CreatedWriteKey(UUID id, String name, String key, Instant createdAt) {
    }
}
