package io.cohort.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Calls to ingest-service with an explicit {@code Authorization} header (a bearer token), which the
 * shared CohortClient does not send there (it sends the write key): write-key administration and the
 * privileged operations as a token holder would call them (docs/SECURITY.md).
 */
final class IngestAdmin {

    /** Status and parsed body (null when empty). */
    record Reply(int status, String contentType, JsonNode body) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private IngestAdmin() {
    }

    /** A new server key granted these scopes, created with a token holding {@code admin}; returns the key. */
    static String createServerKey(String ingest, String adminToken, String name, List<String> scopes) {
        Reply created = send("POST", ingest + "/v1/admin/write-keys", "Bearer " + adminToken,
                Map.of("name", name, "kind", "server", "scopes", scopes));
        if (created.status() != 201) {
            throw new IllegalStateException("creating a server key answered " + created.status() + ": " + created.body());
        }
        return created.body().path("key").asText();
    }

    /** A call with this Authorization header (null: none) and JSON body (null: none). */
    static Reply send(String method, String url, String authorization, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body().isBlank() ? null : JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
