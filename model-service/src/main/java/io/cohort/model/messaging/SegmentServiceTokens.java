package io.cohort.model.messaging;

import io.quarkus.oidc.client.runtime.AbstractTokensProducer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * This service's own access token for segment-service: client credentials of the named client
 * {@code quarkus.oidc-client.segment-service} (client {@code model-service}, scope
 * {@code members:export} only, docs/SECURITY.md). A token apart from {@link FeatureServiceTokens}'s,
 * so neither service receives a scope meant for the other, and the training CronJob, which never
 * reads segments, keeps asking only for training sets. Acquired on first use.
 */
@ApplicationScoped
public class SegmentServiceTokens extends AbstractTokensProducer {

    @Override
    protected Optional<String> clientId() {
        return Optional.of("segment-service");
    }

    /** The current access token; blocks while one is fetched. */
    public String accessToken() {
        return awaitTokens().getAccessToken();
    }
}
