package io.cohort.ingest.api;

import io.cohort.ingest.domain.WriteKeys;
import io.cohort.ingest.persistence.WriteKeyLastUse;
import io.cohort.ingest.persistence.WriteKeyRepository;
import io.cohort.ingest.persistence.WriteKeyRepository.ActiveWriteKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The tracking calls authenticate like Segment's: the write key is the HTTP Basic username with an
 * empty password ({@code Authorization: Basic base64(key + ":")}), or, Segment's other documented
 * way, a top-level {@code writeKey} field in the JSON body. Any active key, client or server, may
 * track. A missing, unknown or revoked key is a 401 problem with a Basic challenge. Keys are looked up
 * by SHA-256 on every call, so a revocation holds at once on every replica; a rotated key's old
 * secret works until its overlap ends. The tracking check is switched off with
 * {@code cohort.ingest.auth.enabled=false}; erasure, consent and imports take a server key through
 * {@link WriteKeyMechanism} regardless.
 */
@ApplicationScoped
public class WriteKeyAuthentication {

    static final String CHALLENGE = "Basic realm=\"cohort-tracking\"";
    /** Segment's body field for the key, accepted when there is no Authorization header. */
    public static final String BODY_FIELD = "writeKey";

    private final WriteKeyRepository keys;
    private final WriteKeyLastUse lastUse;
    private final Clock clock;
    private final boolean enabled;

    public WriteKeyAuthentication(WriteKeyRepository keys, WriteKeyLastUse lastUse, Clock clock,
            @ConfigProperty(name = "cohort.ingest.auth.enabled", defaultValue = "true") boolean enabled) {
        this.keys = keys;
        this.lastUse = lastUse;
        this.clock = clock;
        this.enabled = enabled;
    }

    /**
     * The active key this secret belongs to (its current secret, or the previous one inside the
     * rotation overlap), its use noted for the coarse last use; empty if unknown, revoked or expired.
     * Blocking (a database lookup).
     */
    public Optional<ActiveWriteKey> active(String key) {
        Instant now = Instant.now(clock);
        Optional<ActiveWriteKey> active = keys.findActive(WriteKeys.sha256(key), now);
        active.ifPresent(k -> lastUse.note(k.id(), k.previousSecret(), now));
        return active;
    }

    /**
     * A Basic header is checked before the body is read. Without an Authorization header the
     * resource checks the body's {@code writeKey} ({@link #requireBodyKey}). Runs on the worker
     * thread of the (blocking) tracking methods, so the database lookup is allowed.
     */
    @ServerRequestFilter
    public Response authenticate(ContainerRequestContext request, ResourceInfo resource) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (!enabled || resource.getResourceClass() != TrackingResource.class || authorization == null) {
            return null;
        }
        String key = WriteKeys.basicUsername(authorization).orElse(null);
        if (key == null) {
            return AuthenticationFailedException.unauthorized(
                    "Send the write key as the HTTP Basic username (empty password)", CHALLENGE).toResponse();
        }
        if (active(key).isEmpty()) {
            return AuthenticationFailedException.unauthorized("The write key is unknown or revoked", CHALLENGE)
                    .toResponse();
        }
        return null;
    }

    /** For a request without Authorization header: the body must carry an active {@code writeKey}. */
    void requireBodyKey(HttpHeaders headers, Map<String, Object> body) {
        if (!enabled || headers.getHeaderString(HttpHeaders.AUTHORIZATION) != null) {
            return;
        }
        Object key = body == null ? null : body.get(BODY_FIELD);
        if (!(key instanceof String s) || s.isBlank()) {
            throw AuthenticationFailedException.unauthorized(
                    "Send the write key as the HTTP Basic username (empty password)", CHALLENGE);
        }
        if (active(s).isEmpty()) {
            throw AuthenticationFailedException.unauthorized("The write key is unknown or revoked", CHALLENGE);
        }
    }
}
