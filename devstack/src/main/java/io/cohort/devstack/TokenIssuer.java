package io.cohort.devstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * A small OAuth2/OIDC token issuer for development and tests: the services verify its tokens
 * exactly as they verify a production issuer's (discovery document, JWKS over HTTP, RS256, issuer
 * and audience checked), so security is never switched off locally. It serves
 * {@code /.well-known/openid-configuration}, {@code /jwks} and {@code /token} with the
 * {@code client_credentials} grant (services, jobs) and the {@code password} grant (people, one
 * user per {@link Roles role}). Not for production: secrets are plain, users are fixed.
 */
public final class TokenIssuer implements AutoCloseable {

    /** The audience every Cohort API accepts. */
    public static final String AUDIENCE = "cohort";
    static final Duration TOKEN_LIFETIME = Duration.ofHours(12);

    private final ObjectMapper json = new ObjectMapper();
    private final RsaJsonWebKey key;
    private final HttpServer server;
    private final String issuer;
    private final Map<String, Roles.Client> clients;
    private final Clock clock;

    private TokenIssuer(RsaJsonWebKey key, HttpServer server, Map<String, Roles.Client> clients, Clock clock) {
        this.key = key;
        this.server = server;
        this.clients = clients;
        this.clock = clock;
        this.issuer = "http://localhost:" + server.getAddress().getPort();
    }

    /**
     * Starts the issuer on localhost.
     *
     * @param port    0 for any free port
     * @param keyFile where the signing key is kept (generated when missing, so tokens minted before a
     *                restart stay valid); null for a key that lives only as long as this issuer
     */
    public static TokenIssuer start(int port, Path keyFile, Map<String, Roles.Client> clients) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
        TokenIssuer issuer = new TokenIssuer(signingKey(keyFile), server, Map.copyOf(clients), Clock.systemUTC());
        server.createContext("/.well-known/openid-configuration", exchange -> issuer.reply(exchange, 200, issuer.discovery()));
        server.createContext("/jwks", exchange -> issuer.reply(exchange, 200, issuer.jwks()));
        server.createContext("/token", issuer::token);
        server.start();
        return issuer;
    }

    /** With the development clients and users of {@link Roles#development()}. */
    public static TokenIssuer start(int port, Path keyFile) throws IOException {
        return start(port, keyFile, Roles.development());
    }

    /** The issuer URL: the {@code iss} claim and the base of the discovery document. */
    public String issuer() {
        return issuer;
    }

    /** A signed access token for a subject holding these scopes (tests; the token endpoint uses the same). */
    public String mint(String subject, Set<String> scopes) {
        return mint(subject, scopes, AUDIENCE);
    }

    /** As {@link #mint(String, Set)} for another audience: tests that a service refuses tokens meant for another API. */
    public String mint(String subject, Set<String> scopes, String audience) {
        JwtClaims claims = new JwtClaims();
        long now = clock.instant().getEpochSecond();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(subject);
        claims.setClaim("azp", subject);
        claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(now));
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(now + TOKEN_LIFETIME.toSeconds()));
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setClaim("scope", String.join(" ", scopes));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("could not sign a token", e);
        }
    }

    private Map<String, Object> discovery() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("jwks_uri", issuer + "/jwks");
        doc.put("token_endpoint", issuer + "/token");
        doc.put("grant_types_supported", List.of("client_credentials", "password"));
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        doc.put("response_types_supported", List.of("token"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("scopes_supported", Roles.ALL_SCOPES);
        return doc;
    }

    private Map<String, Object> jwks() {
        return Map.of("keys", List.of(key.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)));
    }

    /** RFC 6749 token endpoint: form-encoded, client authentication by Basic header or form fields. */
    private void token(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            reply(exchange, 405, Map.of("error", "invalid_request", "error_description", "POST only"));
            return;
        }
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String[] basic = basic(exchange.getRequestHeaders().getFirst("Authorization"));
        String grant = form.getOrDefault("grant_type", "");
        Roles.Client client;
        String subject;
        if ("client_credentials".equals(grant)) {
            String id = basic != null ? basic[0] : form.get("client_id");
            String secret = basic != null ? basic[1] : form.get("client_secret");
            client = id == null ? null : clients.get(id);
            if (client == null || client.person() || !client.secret().equals(secret)) {
                reply(exchange, 401, Map.of("error", "invalid_client"));
                return;
            }
            subject = id;
        } else if ("password".equals(grant)) {
            String user = form.get("username");
            client = user == null ? null : clients.get(user);
            if (client == null || !client.person() || !client.secret().equals(form.get("password"))) {
                reply(exchange, 400, Map.of("error", "invalid_grant"));
                return;
            }
            subject = user;
        } else {
            reply(exchange, 400, Map.of("error", "unsupported_grant_type"));
            return;
        }
        Set<String> granted = new LinkedHashSet<>(client.scopes());
        if (form.containsKey("scope")) {
            Set<String> requested = new LinkedHashSet<>(Arrays.asList(form.get("scope").trim().split("\\s+")));
            if (!client.scopes().containsAll(requested)) {
                reply(exchange, 400, Map.of("error", "invalid_scope"));
                return;
            }
            granted = requested;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", mint(subject, granted));
        body.put("token_type", "Bearer");
        body.put("expires_in", TOKEN_LIFETIME.toSeconds());
        body.put("scope", String.join(" ", granted));
        reply(exchange, 200, body);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static String[] basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {
            URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
            URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
    }

    private void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static RsaJsonWebKey signingKey(Path keyFile) {
        try {
            if (keyFile != null && Files.exists(keyFile)) {
                return (RsaJsonWebKey) JsonWebKey.Factory.newJwk(Files.readString(keyFile));
            }
            RsaJsonWebKey generated = RsaJwkGenerator.generateJwk(2048);
            generated.setKeyId(UUID.randomUUID().toString());
            generated.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            generated.setUse("sig");
            if (keyFile != null) {
                Files.createDirectories(keyFile.toAbsolutePath().getParent());
                Files.writeString(keyFile, generated.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
                if (keyFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    // a private key: readable by its owner only
                    Files.setPosixFilePermissions(keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                }
            }
            return generated;
        } catch (JoseException e) {
            throw new IllegalStateException("no signing key", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
