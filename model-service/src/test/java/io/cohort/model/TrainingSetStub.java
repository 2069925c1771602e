package io.cohort.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for feature-service's {@code POST /v1/training-sets} in model-service tests: a real HTTP
 * server answering NDJSON rows generated from a known logistic relation, so a trained propensity
 * model has something true to find. Records the requests it got. Like feature-service, it answers
 * 401 to a call without a bearer token and 403 to one whose token lacks {@code training-sets:read}
 * (the signature is feature-service's to check: ApiSecurityTest there); {@link #SCOPES} records the
 * scopes each call's token held.
 */
public class TrainingSetStub implements QuarkusTestResourceLifecycleManager {

    public static final List<JsonNode> REQUESTS = new CopyOnWriteArrayList<>();
    /** The scope claim of each accepted call's token. */
    public static final List<String> SCOPES = new CopyOnWriteArrayList<>();
    /** Rows per training set. */
    public static volatile int rows = 400;
    /** How strongly clicks in 30 days drive the outcome (log-odds per click). */
    public static volatile double clickEffect = 0.9;

    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/v1/training-sets", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String scope = authorization == null || !authorization.startsWith("Bearer ") ? null
                    : scope(authorization.substring(7));
            if (scope == null || !List.of(scope.split(" ")).contains("training-sets:read")) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                exchange.sendResponseHeaders(scope == null ? 401 : 403, -1);
                exchange.close();
                return;
            }
            SCOPES.add(scope);
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            REQUESTS.add(request);
            Instant asOf = Instant.parse(request.get("asOf").asText());
            Random random = new Random(asOf.getEpochSecond() ^ request.get("label").asText().hashCode());
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < rows; i++) {
                double clicks = random.nextInt(6);
                double opens = clicks + random.nextInt(8);
                double noise = random.nextDouble() * 10;
                double logOdds = -2.5 + clickEffect * clicks;
                int outcome = random.nextDouble() < 1 / (1 + Math.exp(-logOdds)) ? 1 : 0;
                body.append(JSON.writeValueAsString(Map.of("subscriberId", "s-" + i, "asOf", asOf.toString(),
                        "horizonDays", request.get("horizonDays").asInt(), "label", request.get("label").asText(),
                        "outcome", outcome, "features", Map.of("emails_clicked_30d", clicks,
                                "emails_opened_30d", opens, "page_views_30d", noise)))).append('\n');
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return Map.of("cohort.model.feature-service.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The scope claim of a JWT, read without verifying it (null: not a JWT). */
    private static String scope(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path("scope").asText("");
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
