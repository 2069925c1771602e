package io.cohort.segment.messaging;

import io.quarkus.oidc.client.runtime.AbstractTokensProducer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * This service's own access token for model-service: client credentials of {@code quarkus.oidc-client}
 * (client {@code segment-service}, scope {@code models:read} only, docs/SECURITY.md), kept and
 * refreshed before it expires. Acquired on first use rather than at start, so segment-service starts
 * even while the issuer is briefly unreachable.
 */
@ApplicationScoped
public class ModelServiceTokens extends AbstractTokensProducer {

    /** The current access token; blocks while one is fetched. */
    public String accessToken() {
        return awaitTokens().getAccessToken();
    }
}
