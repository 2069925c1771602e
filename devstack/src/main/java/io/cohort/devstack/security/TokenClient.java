package io.cohort.devstack.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;

/**
 * Gets access tokens from an OAuth2 issuer's token endpoint (found through its discovery document),
 * as any client of the services would: the password grant for the development users, client
 * credentials for services. Used by tests, the e2e suite and the local demo.
 */
public final class TokenClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String issuer;
    private volatile URI tokenEndpoint;

    public TokenClient(String issuer) {
        this.issuer = issuer.replaceAll("/+$", "");
    }

    /** A person's token (password grant); {@code scopes} null for everything the user holds. */
    public String password(String user, String password, Collection<String> scopes) {
        return token("grant_type=password&username=" + encode(user) + "&password=" + encode(password)
                + scope(scopes), null);
    }

    /** A service's token (client credentials, client authenticated by HTTP Basic). */
    public String clientCredentials(String clientId, String secret, Collection<String> scopes) {
        String basic = Base64.getEncoder().encodeToString((encode(clientId) + ":" + encode(secret))
                .getBytes(StandardCharsets.UTF_8));
        return token("grant_type=client_credentials" + scope(scopes), "Basic " + basic);
    }

    private String token(String form, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenEndpoint()).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        JsonNode body = call(request.build(), "token request");
        return body.path("access_token").asText();
    }

    private URI tokenEndpoint() {
        if (tokenEndpoint == null) {
            JsonNode discovery = call(HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), "discovery");
            tokenEndpoint = URI.create(discovery.path("token_endpoint").asText());
        }
        return tokenEndpoint;
    }

    private JsonNode call(HttpRequest request, String what) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(what + " at " + request.uri() + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(what + " at " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String scope(Collection<String> scopes) {
        return scopes == null ? "" : "&scope=" + encode(String.join(" ", scopes));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
