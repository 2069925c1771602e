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

/** Reads a segment's members from segment-service ({@code GET /v1/segments/{id}/members?format=csv}). */
@ApplicationScoped
public class SegmentServiceClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;

    public SegmentServiceClient(
            @ConfigProperty(name = "cohort.model.segment-service.url", defaultValue = "http://localhost:8084") String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** The members, or empty when segment-service does not know the segment; throws when unreachable. */
    public Optional<Set<String>> members(String segmentId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/segments/"
                        + URLEncoder.encode(segmentId, StandardCharsets.UTF_8).replace("+", "%20") + "/members?format=csv"))
                .timeout(Duration.ofMinutes(2)).header("Accept", "text/csv").GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("segment-service answered " + response.statusCode());
            }
            Set<String> members = new LinkedHashSet<>();
            Arrays.stream(response.body().split("\r?\n")).skip(1).filter(line -> !line.isBlank())
                    .forEach(line -> members.add(unquote(line.split(",", 2)[0])));
            return Optional.of(members);
        } catch (IOException e) {
            throw new IllegalStateException("segment-service is unavailable at " + baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String unquote(String field) {
        return field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"")
                ? field.substring(1, field.length() - 1).replace("\"\"", "\"") : field;
    }
}
