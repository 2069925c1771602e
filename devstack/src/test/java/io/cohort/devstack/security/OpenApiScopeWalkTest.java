package io.cohort.devstack.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cohort.devstack.TokenIssuer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The walk against a stand-in service whose OpenAPI lists a properly secured operation, one with no
 * scope and one that declares a scope but answers without a token: only the first may pass.
 */
class OpenApiScopeWalkTest {

    private static final String OPENAPI = """
            {"openapi":"3.1.0","paths":{
              "/v1/things/{id}":{"get":{"parameters":[{"name":"id","in":"path","schema":{"type":"integer"}}],
                "security":[{"bearer":["models:read"]}]}},
              "/v1/open":{"post":{}},
              "/v1/leaky":{"get":{"security":[{"bearer":["models:train"]}]}}}}
            """;

    private TokenIssuer issuer;
    private HttpServer service;

    @BeforeEach
    void start() throws IOException {
        issuer = TokenIssuer.start(0, null);
        service = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        service.createContext("/q/openapi", exchange -> reply(exchange, 200, "application/json", OPENAPI));
        service.createContext("/v1/things/1", exchange -> guarded(exchange, "models:read"));
        service.createContext("/v1/open", exchange -> reply(exchange, 200, "application/json", "{}"));
        service.createContext("/v1/leaky", exchange -> reply(exchange, 200, "application/json", "{}"));
        service.start();
    }

    @AfterEach
    void stop() {
        service.stop(0);
        issuer.close();
    }

    @Test
    void onlyTheOperationThatNeedsItsScopePasses() {
        OpenApiScopeWalk.Report report = new OpenApiScopeWalk("http://localhost:" + service.getAddress().getPort(),
                issuer.issuer()).walk();
        List<OpenApiScopeWalk.Call> secured = report.calls().stream().filter(c -> c.path().equals("/v1/things/{id}")).toList();
        assertEquals(List.of(new OpenApiScopeWalk.Call("GET", "/v1/things/{id}", "models:read", 401, 403, 200)), secured);
        assertEquals(3, report.findings().size(), report.findings().toString());
        assertTrue(report.findings().stream().anyMatch(f -> f.startsWith("POST /v1/open declares no scope")),
                report.findings().toString());
        assertTrue(report.findings().stream().anyMatch(f -> f.startsWith("GET /v1/leaky without a token answered 200")),
                report.findings().toString());
        assertTrue(report.findings().stream().anyMatch(f -> f.startsWith("GET /v1/leaky with every scope but models:train")),
                report.findings().toString());
    }

    /** As a secured service answers: 401 with a challenge, 403 problem naming the scope, else 200. */
    private static void guarded(HttpExchange exchange, String scope) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
            reply(exchange, 401, "text/plain", "");
            return;
        }
        String payload = new String(Base64.getUrlDecoder().decode(authorization.substring(7).split("\\.")[1]),
                StandardCharsets.UTF_8);
        if (!payload.matches(".*\"scope\":\"([^\"]* )?" + scope + "( [^\"]*)?\".*")) {
            reply(exchange, 403, "application/problem+json", "{\"status\":403,\"scopes\":[\"" + scope + "\"],"
                    + "\"detail\":\"This operation requires the scope '" + scope + "'\"}");
            return;
        }
        reply(exchange, 200, "application/json", "{}");
    }

    private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
