package io.cohort.ingest.api;

import io.cohort.ingest.persistence.WriteKeyRepository.ActiveWriteKey;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns a write key into an identity: principal {@code write-key:<id>}, roles = the key's granted
 * scopes (none for a client key), attribute {@link #KIND}. An unknown, revoked or expired key fails
 * authentication (401). The lookup runs on a worker thread.
 */
@ApplicationScoped
public class WriteKeyIdentityProvider implements IdentityProvider<WriteKeyRequest> {

    /** The identity attribute holding the key's kind, {@code client} or {@code server}. */
    public static final String KIND = "cohort.write-key.kind";

    private final WriteKeyAuthentication keys;

    public WriteKeyIdentityProvider(WriteKeyAuthentication keys) {
        this.keys = keys;
    }

    @Override
    public Class<WriteKeyRequest> getRequestType() {
        return WriteKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(WriteKeyRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> keys.active(request.key()).map(WriteKeyIdentityProvider::identity)
                .orElseThrow(() -> new AuthenticationFailedException("The write key is unknown or revoked")));
    }

    private static SecurityIdentity identity(ActiveWriteKey key) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("write-key:" + key.id()))
                .addRoles(key.scopes())
                .addAttribute(KIND, key.kind().wireName())
                .build();
    }
}
