package io.cohort.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17 in the manifests (docs/SECURITY.md): the services that verify bearer tokens get the
 * issuer and audience from their ConfigMap, the services that call others get their client secret
 * from the Secret {@code cohort-oidc-clients} (never a literal), and the NetworkPolicies let exactly
 * those pods reach the OIDC provider.
 */
class SecurityManifestsTest {

    /** Services whose API takes bearer tokens: all four. */
    static final Set<String> VERIFY_TOKENS = Set.of("model-service", "feature-service", "ingest-service",
            "segment-service");
    /** Services that get their own token (client credentials) for calls to a secured service. */
    static final Set<String> CALL_WITH_TOKENS = Set.of("segment-service", "model-service");
    /** Both kinds reach the provider: discovery and JWKS, or the token endpoint. */
    static final Set<String> TALK_TO_THE_ISSUER = Set.of("model-service", "segment-service", "feature-service",
            "ingest-service");

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> overlayAndService() {
        return ServiceConsistencyTest.overlayAndService();
    }

    @ParameterizedTest
    @MethodSource("overlayAndService")
    void issuerAudienceAndClientSecretComeFromConfigMapAndSecret(String overlay, String service) {
        List<ObjectNode> objects = Repo.overlay(overlay);
        JsonNode container = container(Repo.get(objects, "Deployment", service), service);
        JsonNode data = Repo.get(objects, "ConfigMap", container.at("/envFrom/0/configMapRef/name").asText()).path("data");
        Properties config = Repo.config(service);
        Map<String, JsonNode> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));

        boolean issuer = TALK_TO_THE_ISSUER.contains(service);
        assertEquals(issuer, data.has("COHORT_SECURITY_ISSUER"), service + " issuer in its ConfigMap");
        if (issuer) {
            assertTrue(data.path("COHORT_SECURITY_ISSUER").asText().startsWith("https://"), "the provider over TLS");
            assertTrue(config.containsKey("cohort.security.issuer"), "the property the variable overrides");
        }
        if (VERIFY_TOKENS.contains(service)) {
            assertEquals("${cohort.security.issuer}", config.getProperty("quarkus.oidc.auth-server-url"));
            assertEquals("${cohort.security.audience}", config.getProperty("quarkus.oidc.token.audience"));
            assertEquals("cohort", data.path("COHORT_SECURITY_AUDIENCE").asText());
            assertEquals("true", config.getProperty("quarkus.security.jaxrs.deny-unannotated-endpoints"));
        }
        JsonNode secret = env.get("COHORT_SECURITY_CLIENT_SECRET");
        assertEquals(CALL_WITH_TOKENS.contains(service), secret != null, service + " client secret");
        if (secret != null) {
            assertFalse(secret.has("value"), "a client secret is never a literal");
            assertEquals("cohort-oidc-clients", secret.at("/valueFrom/secretKeyRef/name").asText());
            assertEquals(config.getProperty("quarkus.oidc-client.client-id"),
                    secret.at("/valueFrom/secretKeyRef/key").asText(), "the key is the client id");
            assertFalse(secret.at("/valueFrom/secretKeyRef/optional").asBoolean(), "required");
            assertEquals("${cohort.security.client-secret}", config.getProperty("quarkus.oidc-client.credentials.secret"));
        }
    }

    @ParameterizedTest
    @MethodSource("overlayAndService")
    void onlyThoseTalkingToTheIssuerReachTheProvider(String overlay, String service) {
        JsonNode egress = Repo.get(Repo.overlay(overlay), "NetworkPolicy", service).at("/spec/egress");
        boolean reaches = false;
        for (JsonNode rule : egress) {
            for (JsonNode to : rule.path("to")) {
                if ("true".equals(to.at("/namespaceSelector/matchLabels/cohort.io~1identity-provider").asText())) {
                    reaches = true;
                    assertFalse(to.has("podSelector"), "any pod of the provider's namespace");
                    assertEquals(2, rule.path("ports").size(), "HTTPS ports only: " + rule);
                }
            }
        }
        assertEquals(TALK_TO_THE_ISSUER.contains(service), reaches, service + " egress to the OIDC provider");
    }

    private static JsonNode container(ObjectNode deployment, String name) {
        for (JsonNode c : Kustomize.containers(deployment)) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no container " + name);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theTrainingJobIsItsOwnClientAndReachesTheProvider(String overlay) {
        List<ObjectNode> objects = Repo.overlay(overlay);
        JsonNode job = Kustomize.containers(Repo.get(objects, "CronJob", "model-training")).get(0);
        Map<String, JsonNode> env = new HashMap<>();
        job.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        // not the Deployment's identity: its own client, whose grant can be revoked on its own
        assertEquals("model-training", env.get("QUARKUS_OIDC_CLIENT_CLIENT_ID").path("value").asText());
        JsonNode secret = env.get("COHORT_SECURITY_CLIENT_SECRET");
        assertFalse(secret.has("value"), "a client secret is never a literal");
        assertEquals("cohort-oidc-clients", secret.at("/valueFrom/secretKeyRef/name").asText());
        assertEquals("model-training", secret.at("/valueFrom/secretKeyRef/key").asText(), "the key is the client id");
        boolean reaches = false;
        for (JsonNode rule : Repo.get(objects, "NetworkPolicy", "model-training").at("/spec/egress")) {
            for (JsonNode to : rule.path("to")) {
                reaches |= "true".equals(to.at("/namespaceSelector/matchLabels/cohort.io~1identity-provider").asText());
            }
        }
        assertTrue(reaches, "the training job gets its token at the provider");
    }

    static List<String> overlays() {
        return ServiceConsistencyTest.overlays();
    }
}
