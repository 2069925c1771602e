package io.cohort.ingest.api;

import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.ingest.domain.StorableValues;
import io.cohort.ingest.domain.WriteKeyGrant;
import io.cohort.ingest.domain.WriteKeyKind;
import io.cohort.ingest.domain.WriteKeys;
import io.cohort.ingest.persistence.WriteKeyRepository;
import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Creates, lists, rotates and revokes write keys; scope {@code admin} (a bearer token, never a key).
 * A key is returned once, at creation or rotation; only its SHA-256 is stored. Kinds: {@code client}
 * (public, tracking calls only) and {@code server} (may be granted {@code privacy:write},
 * {@code imports:write}); see docs/SECURITY.md.
 */
@RolesAllowed(Scopes.ADMIN)
@Path("/v1/admin/write-keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Write keys for the tracking API")
public class WriteKeyAdminResource {

    private static final Logger LOG = Logger.getLogger(WriteKeyAdminResource.class);
    private static final int MAX_NAME_LENGTH = 200;

    private final WriteKeyRepository keys;
    private final Clock clock;
    private final Duration defaultOverlap;
    private final Duration maxOverlap;

    public WriteKeyAdminResource(WriteKeyRepository keys, Clock clock,
            @ConfigProperty(name = "cohort.ingest.write-keys.default-overlap", defaultValue = "P1D") Duration defaultOverlap,
            @ConfigProperty(name = "cohort.ingest.write-keys.max-overlap", defaultValue = "P30D") Duration maxOverlap) {
        this.keys = keys;
        this.clock = clock;
        this.defaultOverlap = defaultOverlap;
        this.maxOverlap = maxOverlap;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a write key {name, kind: client|server, scopes?}; the key is in this response only",
            description = "kind defaults to client (public: tracking calls only, no scope). A server key may be "
                    + "granted privacy:write (erasure, consent) and imports:write (CSV imports).")
    public Response create(CreateWriteKey body) {
        String name = body == null ? null : body.name();
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new ValidationFailedException("The write key is invalid",
                    List.of(new FieldViolation("/name", "must be 1 to " + MAX_NAME_LENGTH + " characters")));
        }
        if (StorableValues.problem(name) != null) {
            throw new ValidationFailedException("The write key is invalid",
                    List.of(new FieldViolation("/name", StorableValues.problem(name))));
        }
        WriteKeyGrant.Checked checked = WriteKeyGrant.of(body.kind(), body.scopes());
        if (checked.grant() == null) {
            throw new ValidationFailedException("The write key is invalid", checked.violations());
        }
        WriteKeyGrant grant = checked.grant();
        String key = WriteKeys.generate(grant.kind());
        UUID id = UUID.randomUUID();
        // microseconds: what PostgreSQL keeps, so the list shows the same instant
        Instant createdAt = now();
        keys.insert(id, name, grant, WriteKeys.sha256(key), createdAt);
        LOG.infof("write key %s created (%s, scopes [%s])", id, grant.kind().wireName(), grant.storedScopes());
        return Response.status(201).entity(new CreatedWriteKey(id, name, grant.kind().wireName(),
                List.copyOf(grant.scopes()), key, createdAt)).build();
    }

    @GET
    @Operation(summary = "List write keys with kind, scopes and last use (never the keys themselves)",
            description = "lastUsedAt is coarse: written at most once a minute per key and replica. After a "
                    + "rotation, previousValidUntil and previousLastUsedAt show whether the old secret is still used.")
    public List<WriteKeyRepository.StoredWriteKey> list() {
        return keys.list();
    }

    @POST
    @Path("/{id: [^/]+}:rotate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Give a key a new secret; the old one stays valid until previousValidUntil",
            description = "Body optional: {previousValidUntil} (ISO-8601; default now + 1 day, at most 30 days ahead, "
                    + "a past time ends the old secret at once). 200 with the new key, shown only here; kind and "
                    + "scopes stay. An older previous secret ends now. 404 problem for an unknown or revoked key.")
    public Response rotate(@PathParam("id") String id, RotateWriteKey body) {
        UUID uuid = uuid(id);
        Instant now = now();
        Instant requested = body == null ? null : body.previousValidUntil();
        Instant until = WriteKeyGrant.previousValidUntil(requested, now, defaultOverlap, maxOverlap);
        if (until == null) {
            throw new ValidationFailedException("The rotation is invalid", List.of(new FieldViolation(
                    "/previousValidUntil", "must be at most " + maxOverlap.toDays() + " days ahead")));
        }
        WriteKeyKind kind = uuid == null ? null : keys.activeKind(uuid).orElse(null);
        String key = kind == null ? null : WriteKeys.generate(kind);
        WriteKeyRepository.StoredWriteKey stored = key == null ? null
                : keys.rotate(uuid, WriteKeys.sha256(key), now, until).orElse(null);
        if (stored == null) {
            return notFound("There is no active write key " + id);
        }
        LOG.infof("write key %s rotated; the previous secret is valid until %s", uuid, until);
        return Response.ok(new RotatedWriteKey(stored.id(), stored.name(), stored.kind(), stored.scopes(), key,
                stored.rotatedAt(), stored.previousValidUntil())).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a write key (and a rotated key's previous secret); calls with it are refused from now on")
    public Response revoke(@PathParam("id") String id) {
        UUID uuid = uuid(id);
        if (uuid == null || !keys.revoke(uuid, Instant.now(clock))) {
            return notFound("There is no write key " + id);
        }
        LOG.infof("write key %s revoked", uuid);
        return Response.noContent().build();
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Response notFound(String detail) {
        return ProblemResponses.problem(ProblemDetail.of(404, "Not Found", detail));
    }

    /** {@code kind} null: client; {@code scopes} null: none. */
    public record CreateWriteKey(String name, String kind, List<String> scopes) {
    }

    public record CreatedWriteKey(UUID id, String name, String kind, List<String> scopes, String key,
            Instant createdAt) {
    }

    /** {@code previousValidUntil} null: now + the default overlap. */
    public record RotateWriteKey(Instant previousValidUntil) {
    }

    public record RotatedWriteKey(UUID id, String name, String kind, List<String> scopes, String key,
            Instant rotatedAt, Instant previousValidUntil) {
    }
}
