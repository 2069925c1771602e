package io.cohort.devstack.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A thin HTTP client for the services' public APIs, used by the e2e tests and the local demo.
 * It speaks only the documented REST contracts; nothing here reaches into a service.
 */
public final class CohortClient {

    private final ServiceUrls urls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    /** The write key sent (as Segment libraries do: HTTP Basic username) on calls to ingest-service. */
    private volatile String writeKey;
    /** The bearer token sent on calls to the other services' APIs (issue 17, docs/SECURITY.md). */
    private volatile String bearerToken;

    public CohortClient(ServiceUrls urls) {
        this.urls = urls;
    }

    public ServiceUrls urls() {
        return urls;
    }

    /**
     * Creates a write key through ingest-service's admin API and uses it from now on for every
     * call to ingest-service.
     *
     * @return the new key (shown only once by the service)
     */
    public String createAndUseWriteKey(String adminToken, String name) {
        Reply reply = send(HttpRequest.newBuilder(URI.create(urls.ingest() + "/v1/admin/write-keys"))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")));
        writeKey = reply.expect(201).body().path("key").asText();
        return writeKey;
    }

    /**
     * Sends this access token on every call to feature-, model- and segment-service from now on;
     * null sends none. ingest-service's tracking calls keep the write key.
     */
    public void useBearerToken(String token) {
        bearerToken = token;
    }

    /** Sends this write key from now on; null sends none (to check that ingest-service refuses such calls). */
    public void useWriteKey(String key) {
        writeKey = key;
    }

    /** A response: status, content type and the parsed body (null when empty). */
    public record Reply(int status, String contentType, JsonNode body) {
        public Reply expect(int expected) {
            if (status != expected) {
                throw new IllegalStateException("expected HTTP " + expected + " but got " + status + ": " + body);
            }
            return this;
        }
    }

    public Reply get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    public Reply delete(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).DELETE());
    }

    public Reply post(String url, Object body) {
        try {
            return postRaw(url, json.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public Reply postRaw(String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** True once the service answers its readiness check with UP. */
    public boolean isReady(String baseUrl) {
        try {
            return get(baseUrl + "/q/health/ready").status() == 200;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Sends the calls through {@code /v1/batch} in batches; returns {accepted, duplicates}. */
    public long[] sendBatches(List<Map<String, Object>> calls, int batchSize) {
        long accepted = 0;
        long duplicates = 0;
        for (int from = 0; from < calls.size(); from += batchSize) {
            List<Map<String, Object>> batch = calls.subList(from, Math.min(calls.size(), from + batchSize));
            JsonNode result = post(urls.ingest() + "/v1/batch", Map.of("batch", batch)).expect(200).body();
            accepted += result.path("accepted").asLong();
            duplicates += result.path("duplicates").asLong();
        }
        return new long[] {accepted, duplicates};
    }

    public Reply features(String subscriberId) {
        return get(urls.feature() + "/v1/subscribers/" + encode(subscriberId) + "/features");
    }

    public JsonNode train(String family, Map<String, Object> body) {
        return post(urls.model() + "/v1/models/" + family + "/versions:train", body).expect(201).body();
    }

    public JsonNode createSegment(Map<String, Object> definition) {
        return post(urls.segment() + "/v1/segments", definition).expect(201).body();
    }

    /** Every member of a segment, following the cursor through all pages. */
    public List<String> members(String segmentId, int pageSize) {
        List<String> members = new ArrayList<>();
        String cursor = null;
        do {
            String url = urls.segment() + "/v1/segments/" + segmentId + "/members?limit=" + pageSize
                    + (cursor == null ? "" : "&cursor=" + encode(cursor));
            JsonNode page = get(url).expect(200).body();
            page.path("items").forEach(item -> members.add(item.path("subscriberId").asText()));
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return members;
    }

    public JsonNode subscriberSegments(String subscriberId) {
        return get(urls.segment() + "/v1/subscribers/" + encode(subscriberId) + "/segments").expect(200).body();
    }

    private Reply send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(Duration.ofSeconds(120)).build();
        String key = writeKey;
        String token = bearerToken;
        boolean ingest = built.uri().toString().startsWith(urls.ingest() + "/");
        if (key != null && ingest && built.uri().getPath().startsWith("/v1/")
                && built.headers().firstValue("Authorization").isEmpty()) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((key + ":").getBytes(StandardCharsets.UTF_8)));
            built = request.build();
        } else if (token != null && !ingest && built.uri().getPath().startsWith("/v1/")
                && built.headers().firstValue("Authorization").isEmpty()) {
            request.header("Authorization", "Bearer " + token);
            built = request.build();
        }
        try {
            HttpResponse<String> response = http.send(built,
                    HttpResponse.BodyHandlers.ofString());
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            JsonNode body = response.body().isBlank() ? null : json.readTree(response.body());
            return new Reply(response.statusCode(), contentType, body);
        } catch (ConnectException e) {
            throw new IllegalStateException("not reachable: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
