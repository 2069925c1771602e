package io.cohort.model.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads a segment's members from segment-service ({@code GET /v1/segments/{id}/members:export}, CSV),
 * with this service's own bearer token ({@link SegmentServiceTokens}, scope {@code members:export}).
 */
@ApplicationScoped
public class SegmentServiceClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final SegmentServiceTokens tokens;

    public SegmentServiceClient(SegmentServiceTokens tokens,
            @ConfigProperty(name = "cohort.model.segment-service.url", defaultValue = "http://localhost:8084") String baseUrl) {
        this.tokens = tokens;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** The members, or empty when segment-service does not know the segment; throws when unreachable. */
    public Optional<Set<String>> members(String segmentId) {
        String token;
        try {
            token = tokens.accessToken();
        } catch (RuntimeException e) {
            throw new IllegalStateException("no access token for segment-service: " + e.getMessage(), e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/segments/"
                        + URLEncoder.encode(segmentId, StandardCharsets.UTF_8).replace("+", "%20") + "/members:export"))
                .timeout(Duration.ofMinutes(2)).header("Accept", "text/csv")
                .header("Authorization", "Bearer " + token).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                // a configuration fault (client, secret, scope or audience), worth naming as such
                throw new IllegalStateException("segment-service refused this service's token ("
                        + response.statusCode() + ")");
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("segment-service answered " + response.statusCode());
            }
            Set<String> members = new LinkedHashSet<>();
            Arrays.stream(response.body().split("\r?\n")).skip(1).filter(line -> !line.isBlank())
                    .forEach(line -> members.add(firstField(line)));
            return Optional.of(members);
        } catch (IOException e) {
            throw new IllegalStateException("segment-service is unavailable at " + baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The first CSV field of a line: quoted when the id holds a comma or quote (RFC 4180, "" for "). */
    static String firstField(String line) {
        if (!line.startsWith("\"")) {
            int comma = line.indexOf(',');
            return comma < 0 ? line : line.substring(0, comma);
        }
        StringBuilder field = new StringBuilder();
        for (int i = 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    break;
                }
            } else {
                field.append(c);
            }
        }
        return field.toString();
    }
}
