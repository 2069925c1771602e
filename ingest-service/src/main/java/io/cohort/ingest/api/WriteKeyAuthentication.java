package io.cohort.ingest.api;

import io.cohort.ingest.domain.WriteKeys;
import io.cohort.ingest.persistence.WriteKeyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The tracking calls authenticate like Segment's: the write key is the HTTP Basic username with an
 * empty password ({@code Authorization: Basic base64(key + ":")}), or, Segment's other documented
 * way, a top-level {@code writeKey} field in the JSON body. A missing, unknown or revoked key is a
 * 401 problem with a Basic challenge. Keys are looked up by SHA-256 on every call, so a revocation
 * holds at once on every replica. Switched off with {@code cohort.ingest.auth.enabled=false}.
 */
@ApplicationScoped
public class WriteKeyAuthentication {

    static final String CHALLENGE = "Basic realm=\"cohort-tracking\"";
    /** Segment's body field for the key, accepted when there is no Authorization header. */
    public static final String BODY_FIELD = "writeKey";

    private final WriteKeyRepository keys;
    private final boolean enabled;
    private final java.util.Optional<String> adminToken;

    public WriteKeyAuthentication(WriteKeyRepository keys,
            @ConfigProperty(name = "cohort.ingest.auth.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "cohort.ingest.admin-token") java.util.Optional<String> adminToken) {
        this.keys = keys;
        this.enabled = enabled;
        this.adminToken = adminToken.filter(t -> !t.isBlank());
    }

    /**
     * Consent, erasure and request-status calls: either the admin bearer token
     * ({@code cohort.ingest.admin-token}) or an active write key as the HTTP Basic username (the
     * back end that sends tracking calls may also forward its users' consent and erasure requests).
     * Off with {@code cohort.ingest.auth.enabled=false}.
     */
    public void requireAdminOrWriteKey(HttpHeaders headers) {
        requireAdminOrWriteKey(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
    }

    /**
     * Calls only an operator may make (un-suppressing an erased subscriber): the admin bearer token;
     * a write key is not enough. Off with {@code cohort.ingest.auth.enabled=false}.
     */
    public void requireAdmin(HttpHeaders headers) {
        if (!enabled) {
            return;
        }
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw AuthenticationFailedException.unauthorized("The admin bearer token is required", "Bearer realm=\"cohort-admin\"");
        }
        requireAdminOrWriteKey(authorization);
    }

    /** As {@link #requireAdminOrWriteKey(HttpHeaders)}, given the Authorization header value. */
    public void requireAdminOrWriteKey(String authorization) {
        if (!enabled) {
            return;
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String given = authorization.substring(7).trim();
            if (adminToken.isPresent() && WriteKeys.sameSecret(adminToken.get(), given)) {
                return;
            }
            throw AuthenticationFailedException.unauthorized("The admin bearer token is wrong", CHALLENGE);
        }
        String key = authorization == null ? null : WriteKeys.basicUsername(authorization).orElse(null);
        if (key == null) {
            throw AuthenticationFailedException.unauthorized(
                    "Send the admin bearer token, or a write key as the HTTP Basic username", CHALLENGE);
        }
        if (!keys.isActive(WriteKeys.sha256(key))) {
            throw AuthenticationFailedException.unauthorized("The write key is unknown or revoked", CHALLENGE);
        }
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
        if (!keys.isActive(WriteKeys.sha256(key))) {
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
        if (!keys.isActive(WriteKeys.sha256(s))) {
            throw AuthenticationFailedException.unauthorized("The write key is unknown or revoked", CHALLENGE);
        }
    }
}
