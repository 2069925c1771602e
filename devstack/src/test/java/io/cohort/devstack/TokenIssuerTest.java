package io.cohort.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local issuer over real HTTP: discovery, JWKS, both grants, scopes, and a key that survives a restart. */
class TokenIssuerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void clientCredentialsGiveAServiceItsScopesInATokenVerifiableThroughTheJwks() throws Exception {
        try (TokenIssuer issuer = TokenIssuer.start(0, null)) {
            JsonNode discovery = get(issuer.issuer() + "/.well-known/openid-configuration");
            assertEquals(issuer.issuer(), discovery.path("issuer").asText());
            assertEquals(issuer.issuer() + "/jwks", discovery.path("jwks_uri").asText());

            HttpResponse<String> reply = token(issuer, "grant_type=client_credentials",
                    basic("model-service", "model-service-secret"));
            assertEquals(200, reply.statusCode(), reply.body());
            JsonNode body = json.readTree(reply.body());
            assertEquals("Bearer", body.path("token_type").asText());
            JwtClaims claims = verifier(issuer).processToClaims(body.path("access_token").asText());
            assertEquals("model-service", claims.getSubject());
            assertEquals(Set.of("training-sets:read", "members:export"), scopes(claims));
            assertTrue(claims.getExpirationTime().getValue() > claims.getIssuedAt().getValue());
        }
    }

    @Test
    void wrongSecretsUnknownClientsAndPeopleUsingTheServiceGrantAreRefused() throws Exception {
        try (TokenIssuer issuer = TokenIssuer.start(0, null)) {
            assertEquals(401, token(issuer, "grant_type=client_credentials", basic("model-service", "guess")).statusCode());
            assertEquals(401, token(issuer, "grant_type=client_credentials&client_id=nobody&client_secret=x", null)
                    .statusCode());
            assertEquals(401, token(issuer, "grant_type=client_credentials", basic("admin", "admin")).statusCode());
            assertEquals(400, token(issuer, "grant_type=password&username=admin&password=wrong", null).statusCode());
            HttpResponse<String> unsupported = token(issuer, "grant_type=implicit", null);
            assertEquals(400, unsupported.statusCode());
            assertEquals("unsupported_grant_type", json.readTree(unsupported.body()).path("error").asText());
        }
    }

    @Test
    void aPersonGetsTheirRolesScopesOrTheSubsetTheyAskForButNeverMore() throws Exception {
        try (TokenIssuer issuer = TokenIssuer.start(0, null)) {
            JwtConsumer verifier = verifier(issuer);
            HttpResponse<String> marketer = token(issuer, "grant_type=password&username=marketer&password=marketer", null);
            assertEquals(Roles.MARKETER, scopes(verifier.processToClaims(accessToken(marketer))));
            assertTrue(!Roles.MARKETER.contains("privacy:write") && Roles.ADMIN.contains("privacy:write"));

            HttpResponse<String> narrowed = token(issuer,
                    "grant_type=password&username=marketer&password=marketer&scope=segments%3Aread", null);
            assertEquals(Set.of("segments:read"), scopes(verifier.processToClaims(accessToken(narrowed))));

            HttpResponse<String> wider = token(issuer,
                    "grant_type=password&username=viewer&password=viewer&scope=members%3Aexport", null);
            assertEquals(400, wider.statusCode());
            assertEquals("invalid_scope", json.readTree(wider.body()).path("error").asText());
        }
    }

    @Test
    void theKeyIsKeptSoTokensMintedBeforeARestartStillVerify() throws Exception {
        Path keyFile = dir.resolve("issuer/signing-key.json");
        String token;
        try (TokenIssuer first = TokenIssuer.start(0, keyFile)) {
            token = first.mint("viewer", Roles.VIEWER);
        }
        assertTrue(Files.readString(keyFile).contains("\"d\""), "the private key is kept");
        try (TokenIssuer second = TokenIssuer.start(0, keyFile)) {
            JsonNode jwks = get(second.issuer() + "/jwks");
            assertTrue(!jwks.toString().contains("\"d\""), "the JWKS publishes the public key only");
            // the issuer URL changed with the port, so check the signature and claims, not the issuer
            JwtClaims claims = new JwtConsumerBuilder()
                    .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(new HttpsJwks(second.issuer() + "/jwks")))
                    .setExpectedAudience(TokenIssuer.AUDIENCE).setSkipDefaultAudienceValidation().build()
                    .processToClaims(token);
            assertEquals("viewer", claims.getSubject());
        }
        try (TokenIssuer other = TokenIssuer.start(0, dir.resolve("other-key.json"))) {
            assertThrows(InvalidJwtException.class, () -> verifier(other).processToClaims(token),
                    "another key does not verify it");
        }
    }

    private JwtConsumer verifier(TokenIssuer issuer) {
        return new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireSubject()
                .setExpectedIssuer(issuer.issuer())
                .setExpectedAudience(TokenIssuer.AUDIENCE)
                .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(new HttpsJwks(issuer.issuer() + "/jwks")))
                .build();
    }

    private static Set<String> scopes(JwtClaims claims) throws Exception {
        return Set.of(claims.getStringClaimValue("scope").split(" "));
    }

    private String accessToken(HttpResponse<String> reply) throws Exception {
        assertEquals(200, reply.statusCode(), reply.body());
        return json.readTree(reply.body()).path("access_token").asText();
    }

    private HttpResponse<String> token(TokenIssuer issuer, String form, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(issuer.issuer() + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String url) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
}
