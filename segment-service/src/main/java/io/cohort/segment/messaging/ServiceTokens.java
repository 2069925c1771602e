package io.cohort.segment.messaging;

import io.quarkus.oidc.client.runtime.AbstractTokensProducer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * This service's own access token: client credentials of {@code quarkus.oidc-client} (client
 * {@code segment-service}, docs/SECURITY.md), kept and refreshed before it expires. Sent where no
 * caller's token applies: lookalike requests to model-service ({@code models:read}) and the streams
 * engine's questions to the other instances about their share of a segment ({@code segments:read},
 * {@code members:read}). Acquired on first use rather than at start, so segment-service starts even
 * while the issuer is briefly unreachable.
 */
@ApplicationScoped
public class ServiceTokens extends AbstractTokensProducer {

    /** The current access token; blocks while one is fetched. */
    public String accessToken() {
        return awaitTokens().getAccessToken();
    }
}
