package io.cohort.ingest.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 4: a raw {@code ;} in a path id made {@code a;b} act on subscriber {@code a}
 * (matrix parameters). Sent over a real connection with the path exactly as written: a raw
 * {@code ;} is refused on every path, and {@code %3B} arrives whole.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class PathIdTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL base;

    private HttpResponse<String> send(String method, String rawPath, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + rawPath))
                .header("Content-Type", "application/json")
                // the development admin's token (the privileged paths need their scope)
                .header("Authorization", "Bearer " + io.cohort.devstack.security.BearerTokenCallback.adminToken());
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertPathProblem(HttpResponse<String> response) throws Exception {
        assertEquals(400, response.statusCode(), response.body());
        JsonNode problem = JSON.readTree(response.body());
        assertEquals("/path", problem.path("errors").path(0).path("pointer").asText(), response.body());
        assertTrue(problem.path("errors").path(0).path("message").asText().contains("%3B"), response.body());
    }

    @Test
    void aRawSemicolonInAPathIdIsRefusedEverywhere() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String consent = "{\"channel\":\"email\",\"status\":\"revoked\"}";
        assertPathProblem(send("PUT", "/v1/subscribers/" + user + ";b/consent", consent));
        assertPathProblem(send("DELETE", "/v1/subscribers/" + user + ";b", null));
        assertPathProblem(send("GET", "/v1/requests/" + UUID.randomUUID() + ";x", null));
        assertPathProblem(send("GET", "/v1/imports/" + UUID.randomUUID() + ";x", null));
        try (var events = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.EVENTS)) {
            // the refused calls published nothing for the prefix before the ';'
            HttpResponse<String> good = send("PUT", "/v1/subscribers/" + user + "/consent", consent);
            assertEquals(202, good.statusCode(), good.body());
            String requestId = JSON.readTree(good.body()).path("requestId").asText();
            var records = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user),
                    r -> r.stream().anyMatch(e -> e.value().contains(requestId)));
            assertEquals(1, records.size(), records.toString());
        }
    }

    @Test
    void aPercentEncodedSemicolonArrivesWhole() throws Exception {
        String user = "u-" + UUID.randomUUID() + ";b";
        HttpResponse<String> response = send("PUT", "/v1/subscribers/" + user.replace(";", "%3B") + "/consent",
                "{\"channel\":\"email\",\"status\":\"granted\"}");
        assertEquals(202, response.statusCode(), response.body());
        String requestId = JSON.readTree(response.body()).path("requestId").asText();
        HttpResponse<String> status = send("GET", "/v1/requests/" + requestId, null);
        assertEquals(user, JSON.readTree(status.body()).path("subscriberId").asText(), status.body());
        try (var events = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.EVENTS)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user), r -> r.size() == 1);
        }
    }
}
