package io.cohort.model.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.model.domain.propensity.LabelledRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads point-in-time training sets from feature-service ({@code POST /v1/training-sets}, NDJSON:
 * one {@code {subscriberId, asOf, horizonDays, label, outcome, features}} per line), with this
 * service's own bearer token ({@link FeatureServiceTokens}, scope {@code training-sets:read}).
 */
@ApplicationScoped
public class FeatureServiceClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json;
    private final String baseUrl;
    private final Duration timeout;
    private final FeatureServiceTokens tokens;

    public FeatureServiceClient(ObjectMapper json, FeatureServiceTokens tokens,
            @ConfigProperty(name = "cohort.model.feature-service.url", defaultValue = "http://localhost:8082") String baseUrl,
            @ConfigProperty(name = "cohort.model.feature-service.timeout", defaultValue = "PT10M") Duration timeout) {
        this.json = json;
        this.tokens = tokens;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
    }

    /** Thrown when feature-service refuses or cannot be reached; the message is safe to show. */
    public static final class TrainingSetUnavailable extends RuntimeException {
        public TrainingSetUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public List<LabelledRow> trainingSet(Instant asOf, int horizonDays, String label) {
        List<LabelledRow> rows = new ArrayList<>();
        read(asOf, horizonDays, label, line -> rows.add(row(line)));
        return rows;
    }

    /** The realised outcome per subscriber of the training set as of {@code asOf}: what monitoring checks scores against. */
    public Map<String, Integer> outcomes(Instant asOf, int horizonDays, String label) {
        Map<String, Integer> outcomes = new HashMap<>();
        read(asOf, horizonDays, label, line -> outcomes.put(line.path("subscriberId").asText(),
                line.path("outcome").asInt()));
        return outcomes;
    }

    private void read(Instant asOf, int horizonDays, String label, java.util.function.Consumer<JsonNode> each) {
        try {
            String body = json.writeValueAsString(Map.of("asOf", asOf.toString(), "horizonDays", horizonDays,
                    "label", label));
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/training-sets"))
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + token())
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/x-ndjson, application/problem+json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = response.body()) {
                if (response.statusCode() == 401 || response.statusCode() == 403) {
                    // a configuration fault (client, secret, scope or audience), worth naming as such
                    throw new TrainingSetUnavailable("feature-service refused this service's token ("
                            + response.statusCode() + "): " + String.join(" ", lines.limit(20).toList()), null);
                }
                if (response.statusCode() != 200) {
                    String problem = String.join(" ", lines.limit(20).toList());
                    throw new TrainingSetUnavailable("feature-service answered " + response.statusCode()
                            + " to the training-set request: " + problem, null);
                }
                for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                    String line = it.next();
                    if (!line.isBlank()) {
                        each.accept(json.readTree(line));
                    }
                }
            }
        } catch (IOException e) {
            throw new TrainingSetUnavailable("feature-service training sets are unavailable at " + baseUrl + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrainingSetUnavailable("interrupted while reading a training set", e);
        }
    }

    private String token() {
        try {
            return tokens.accessToken();
        } catch (RuntimeException e) {
            // the issuer is unreachable or refused the client: no training set can be asked for now
            throw new TrainingSetUnavailable("no access token for feature-service: " + e.getMessage(), e);
        }
    }

    private static LabelledRow row(JsonNode line) {
        Map<String, Double> features = new HashMap<>();
        line.path("features").fields().forEachRemaining(entry -> {
            if (entry.getValue().isNumber()) {
                features.put(entry.getKey(), entry.getValue().asDouble());
            }
        });
        return new LabelledRow(features, line.path("outcome").asInt());
    }
}
