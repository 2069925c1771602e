package io.cohort.ingest.api;

import io.cohort.ingest.domain.WriteKeys;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * A server write key in place of a bearer token, on the operations a key may be granted: erasure,
 * consent and request status ({@code /v1/subscribers/…}, {@code /v1/requests/…}; scope
 * {@code privacy:write}) and imports ({@code /v1/imports…}; {@code imports:write}). The key comes as
 * on the tracking calls (HTTP Basic username) and becomes an identity whose roles are the key's
 * granted scopes, so the operation's {@code @RolesAllowed} decides as for a token: a client key (no
 * scope) or a server key without the scope gets the 403 problem naming it. Elsewhere a Basic header
 * is left alone: the tracking calls check their key themselves ({@link WriteKeyAuthentication}) and
 * Postmark's webhook sends its own Basic credentials.
 */
@ApplicationScoped
public class WriteKeyMechanism implements HttpAuthenticationMechanism {

    /** After quarkus-oidc's bearer mechanism, whose challenge ({@code Bearer}) a request without credentials gets. */
    private static final int PRIORITY = DEFAULT_PRIORITY - 100;

    /** Whether a server key may stand in for a token on this path. */
    static boolean acceptsKeys(String path) {
        return path != null && (path.startsWith("/v1/subscribers/") || path.startsWith("/v1/requests/")
                || path.equals("/v1/imports") || path.startsWith("/v1/imports/"));
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String key = WriteKeys.basicUsername(context.request().getHeader("Authorization")).orElse(null);
        if (key == null || !acceptsKeys(context.normalizedPath())) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new WriteKeyRequest(key), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Basic realm=\"cohort-server-keys\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(WriteKeyRequest.class);
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }
}
