package io.cohort.segment.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for model-service's {@code POST /v1/lookalikes} on a free port, set as
 * {@code cohort.segment.model-service.url}. Tests program it over HTTP (the test and this resource
 * may live in different class loaders): {@code PUT /fake/answers/{seedSegmentId}?status=N} with the
 * answer body, {@code PUT /fake/down} with {@code true} or {@code false}. A seed without an answer
 * gets model-service's 400 for a seed without feature vectors. Like model-service, it answers 401
 * to a call without a bearer token and 403 to one whose token lacks {@code models:read} (the token's
 * signature is model-service's to check: ApiSecurityTest there).
 */
public class FakeModelService implements QuarkusTestResourceLifecycleManager {

    private static final Pattern SEED = Pattern.compile("\"seedSegmentId\"\\s*:\\s*\"([^\"]+)\"");

    private HttpServer server;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final AtomicBoolean down = new AtomicBoolean();

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/v1/lookalikes", this::lookalikes);
        server.createContext("/fake/answers/", exchange -> {
            String seed = exchange.getRequestURI().getPath().substring("/fake/answers/".length());
            String query = exchange.getRequestURI().getQuery();
            answers.put(seed, body(exchange));
            statuses.put(seed, query != null && query.startsWith("status=") ? Integer.parseInt(query.substring(7)) : 200);
            reply(exchange, 204, "");
        });
        server.createContext("/fake/down", exchange -> {
            down.set(Boolean.parseBoolean(body(exchange).trim()));
            reply(exchange, 204, "");
        });
        server.start();
        return Map.of("cohort.segment.model-service.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void lookalikes(HttpExchange exchange) throws IOException {
        String request = body(exchange);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
            reply(exchange, 401, "");
            return;
        }
        if (!scopes(authorization.substring(7)).contains("models:read")) {
            reply(exchange, 403, "{\"status\":403,\"title\":\"Missing scope\",\"scopes\":[\"models:read\"]}");
            return;
        }
        if (down.get()) {
            reply(exchange, 503, "{\"status\":503,\"title\":\"Service Unavailable\",\"detail\":\"down for the test\"}");
            return;
        }
        Matcher seed = SEED.matcher(request);
        String answer = seed.find() ? answers.get(seed.group(1)) : null;
        if (answer == null) {
            reply(exchange, 400, "{\"status\":400,\"title\":\"Bad Request\",\"detail\":\"The lookalike request is "
                    + "invalid\",\"errors\":[{\"pointer\":\"/seedSegmentId\",\"message\":\"no seed subscriber has a "
                    + "feature vector\"}]}");
            return;
        }
        reply(exchange, statuses.getOrDefault(seed.group(1), 200), answer);
    }

    /** The space-separated scope claim of a JWT, read without verifying it. */
    private static List<String> scopes(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return List.of();
        }
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        Matcher scope = Pattern.compile("\"scope\"\\s*:\\s*\"([^\"]*)\"").matcher(payload);
        return scope.find() ? List.of(scope.group(1).split(" ")) : List.of();
    }

    private static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/json"
                : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
