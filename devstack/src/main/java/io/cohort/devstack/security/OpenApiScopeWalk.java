package io.cohort.devstack.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.devstack.Roles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Proves a service leaves no operation open (issue 17): reads the service's own {@code /q/openapi}
 * and calls every operation three times, with real tokens of the issuer: without a token (must be
 * 401 with a {@code WWW-Authenticate} challenge), with every scope but the one the operation
 * declares (403 problem+json naming that scope), and with exactly that scope (neither 401 nor
 * 403). An operation declaring no scope, or more than one, is a finding too, so a new endpoint
 * without {@code @RolesAllowed} fails the service's build. Path parameters get placeholder values
 * and bodies are {@code {}}: the calls are meant to be refused or to fail validation, never to change
 * anything that matters.
 */
public final class OpenApiScopeWalk {

    /** One operation and what it answered with no token, the other scopes and its own scope. */
    public record Call(String method, String path, String scope, int noToken, int otherScopes, int ownScope) {
    }

    /** Every operation walked and every finding (empty when the service is closed as it should be). */
    public record Report(List<Call> calls, List<String> findings) {
    }

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String base;
    private final TokenClient tokens;
    private final Map<String, String> tokenCache = new HashMap<>();

    /**
     * @param base   the service's base URL
     * @param issuer the issuer the service trusts; tokens come from its development admin user, who
     *               may ask for any subset of {@link Roles#ALL_SCOPES}
     */
    public OpenApiScopeWalk(String base, String issuer) {
        this.base = base.replaceAll("/+$", "");
        this.tokens = new TokenClient(issuer);
    }

    public Report walk() {
        JsonNode paths = get(base + "/q/openapi?format=json").path("paths");
        List<Call> calls = new ArrayList<>();
        List<String> findings = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (METHODS.contains(operation.getKey())) {
                    walk(operation.getKey().toUpperCase(), path.getKey(), path.getValue(), operation.getValue(),
                            calls, findings);
                }
            }
        }
        if (calls.isEmpty()) {
            findings.add("the OpenAPI document at " + base + "/q/openapi lists no operation");
        }
        return new Report(calls, findings);
    }

    private void walk(String method, String path, JsonNode pathItem, JsonNode operation, List<Call> calls,
            List<String> findings) {
        String name = method + " " + path;
        Set<String> scopes = declaredScopes(operation);
        if (scopes.size() != 1) {
            findings.add(name + " declares " + (scopes.isEmpty() ? "no scope" : "several scopes " + scopes)
                    + " (each operation needs exactly one @RolesAllowed scope)");
            return;
        }
        String scope = scopes.iterator().next();
        if (!Roles.ALL_SCOPES.contains(scope)) {
            findings.add(name + " declares '" + scope + "', which is not a Cohort scope (Scopes.ALL)");
            return;
        }
        URI uri = URI.create(base + fill(path, pathItem, operation));
        HttpResponse<String> none = send(method, uri, null);
        if (none.statusCode() != 401 || none.headers().firstValue("WWW-Authenticate").isEmpty()) {
            findings.add(name + " without a token answered " + none.statusCode() + " (want 401 with WWW-Authenticate)");
        }
        List<String> others = new ArrayList<>(Roles.ALL_SCOPES);
        others.remove(scope);
        HttpResponse<String> other = send(method, uri, token(others));
        String type = other.headers().firstValue("Content-Type").orElse("");
        if (other.statusCode() != 403 || !type.startsWith("application/problem+json")
                || !other.body().contains("'" + scope + "'")) {
            findings.add(name + " with every scope but " + scope + " answered " + other.statusCode() + " " + type
                    + " " + other.body() + " (want 403 problem+json naming '" + scope + "')");
        }
        HttpResponse<String> own = send(method, uri, token(List.of(scope)));
        if (own.statusCode() == 401 || own.statusCode() == 403) {
            findings.add(name + " with its own scope " + scope + " answered " + own.statusCode() + " " + own.body());
        }
        calls.add(new Call(method, path, scope, none.statusCode(), other.statusCode(), own.statusCode()));
    }

    /** The scopes of the operation's security requirements (or the document's default, which Cohort does not use). */
    private static Set<String> declaredScopes(JsonNode operation) {
        Set<String> scopes = new LinkedHashSet<>();
        for (JsonNode requirement : operation.path("security")) {
            requirement.properties().forEach(scheme -> scheme.getValue().forEach(s -> scopes.add(s.asText())));
        }
        return scopes;
    }

    /** Path parameters get a placeholder of their type: 1 for numbers, "walk" for the rest. */
    private static String fill(String path, JsonNode pathItem, JsonNode operation) {
        Map<String, String> types = new HashMap<>();
        for (JsonNode parameters : List.of(pathItem.path("parameters"), operation.path("parameters"))) {
            for (JsonNode parameter : parameters) {
                if ("path".equals(parameter.path("in").asText())) {
                    types.put(parameter.path("name").asText(), parameter.path("schema").path("type").asText());
                }
            }
        }
        StringBuilder filled = new StringBuilder();
        int at = 0;
        while (at < path.length()) {
            int open = path.indexOf('{', at);
            if (open < 0) {
                filled.append(path, at, path.length());
                break;
            }
            int close = path.indexOf('}', open);
            filled.append(path, at, open);
            String type = types.getOrDefault(path.substring(open + 1, close), "string");
            filled.append("integer".equals(type) || "number".equals(type) ? "1" : "walk");
            at = close + 1;
        }
        return filled.toString();
    }

    private String token(List<String> scopes) {
        return tokenCache.computeIfAbsent(String.join(" ", scopes),
                key -> tokens.password("admin", Roles.development().get("admin").secret(), scopes));
    }

    private HttpResponse<String> send(String method, URI uri, String token) {
        boolean body = Set.of("POST", "PUT", "PATCH").contains(method);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .method(method, body ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (body) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private JsonNode get(String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode() + " without a token");
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
