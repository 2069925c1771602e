package io.cohort.segment.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.segment.domain.Lookalike;
import io.cohort.segment.domain.LookalikeResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Asks model-service for lookalikes ({@code POST /v1/lookalikes}). model-service reads the seed's
 * members back from this service ({@code GET /v1/segments/{id}/members}), so this must never be
 * called while holding a database transaction or the definitions advisory lock. Calls carry this
 * service's own bearer token ({@link ServiceTokens}, scope {@code models:read}).
 */
@ApplicationScoped
public class ModelServiceClient {

    private final ObjectMapper json;
    private final URI lookalikes;
    private final Duration timeout;
    private final HttpClient http;
    private final ServiceTokens tokens;

    public ModelServiceClient(ObjectMapper json, ServiceTokens tokens,
            @ConfigProperty(name = "cohort.segment.model-service.url", defaultValue = "http://localhost:8083") String url,
            @ConfigProperty(name = "cohort.segment.model-service.timeout", defaultValue = "PT60S") Duration timeout) {
        this.json = json;
        this.tokens = tokens;
        this.lookalikes = URI.create(url.replaceAll("/+$", "") + "/v1/lookalikes");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The lookalikes of the seed segment; throws {@link ModelServiceException} when model-service cannot answer. */
    public LookalikeResult lookalikes(Lookalike request) {
        String body;
        try {
            body = json.writeValueAsString(Map.of("seedSegmentId", request.seedSegmentId().toString(),
                    "targetSize", request.targetSize()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String token;
        try {
            token = tokens.accessToken();
        } catch (RuntimeException e) {
            // the issuer is unreachable or refused the client: model-service cannot be asked (retried later)
            throw new ModelServiceException(false, "no access token for model-service: " + e.getMessage());
        }
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(lookalikes).timeout(timeout)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ModelServiceException(false, "model-service is unreachable at " + lookalikes + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelServiceException(false, "interrupted while asking model-service for lookalikes");
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            // a configuration fault (client, secret, scope or audience), not a bad seed: never a 400 to the user
            throw new ModelServiceException(false, "model-service refused this service's token (" + status + "): "
                    + detail(response.body()));
        }
        if (status >= 400 && status < 500) {
            throw new ModelServiceException(true, "model-service refused the lookalike request (" + status + "): "
                    + detail(response.body()));
        }
        if (status != 200) {
            throw new ModelServiceException(false, "model-service answered " + status + ": " + detail(response.body()));
        }
        try {
            return parse(json.readValue(response.body(), Map.class));
        } catch (IOException | RuntimeException e) {
            throw new ModelServiceException(false, "model-service's lookalike answer could not be read: " + e.getMessage());
        }
    }

    private String detail(String body) {
        try {
            Object detail = json.readValue(body, Map.class).get("detail");
            Object errors = json.readValue(body, Map.class).get("errors");
            return (detail == null ? "" : detail.toString()) + (errors == null ? "" : " " + errors);
        } catch (IOException | RuntimeException e) {
            return body == null ? "" : body.substring(0, Math.min(200, body.length()));
        }
    }

    @SuppressWarnings("unchecked")
    static LookalikeResult parse(Map<String, Object> body) {
        List<LookalikeResult.Item> items = new ArrayList<>();
        for (Object raw : (List<Object>) body.getOrDefault("items", List.of())) {
            Map<String, Object> item = (Map<String, Object>) raw;
            items.add(new LookalikeResult.Item((String) item.get("subscriberId"),
                    ((Number) item.get("similarity")).doubleValue()));
        }
        List<String> features = new ArrayList<>();
        for (Object f : (List<Object>) body.getOrDefault("features", List.of())) {
            features.add(String.valueOf(f));
        }
        Map<String, Object> evaluation = body.get("evaluation") instanceof Map<?, ?> e
                ? new LinkedHashMap<>((Map<String, Object>) e) : Map.of();
        return new LookalikeResult((String) body.get("method"), number(body.get("seeds")), number(body.get("candidates")),
                number(body.get("k")), features, items, evaluation);
    }

    private static int number(Object raw) {
        return raw instanceof Number n ? n.intValue() : 0;
    }

    /** model-service could not answer: {@code refused} when it rejected the request (4xx), otherwise unavailable. */
    public static class ModelServiceException extends RuntimeException {
        private final boolean refused;

        public ModelServiceException(boolean refused, String message) {
            super(message, null, false, false);
            this.refused = refused;
        }

        public boolean refused() {
            return refused;
        }
    }
}
