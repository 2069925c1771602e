package io.cohort.ingest.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 8: RudderStack's libraries put identify traits in {@code context.traits}; they
 * reach the published identify. RudderStack's {@code /v1/merge} gets a clear 501 problem.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class RudderStackPayloadTest {

    /** An identify as RudderStack's SDKs send it (shape of RudderStack's HTTP API docs). */
    private static String rudderIdentify(String user, String anonymousId) {
        return """
                {"type":"identify","userId":"%s","anonymousId":"%s","channel":"server",
                 "messageId":"%s","originalTimestamp":"2026-01-09T10:01:53.558Z",
                 "sentAt":"2026-01-09T10:01:53.558Z","timestamp":"2026-01-09T10:01:53.558Z",
                 "context":{"traits":{"name":"Alex Keener","plan":"premium","logins":5},
                   "library":{"name":"rudder-sdk-java","version":"3.0.0"},"locale":"en-US",
                   "ip":"192.0.2.7"},
                 "integrations":{"All":true}}""".formatted(user, anonymousId, UUID.randomUUID());
    }

    @Test
    void identifyTraitsInContextReachTheProfile() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String batched = "b-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(rudderIdentify(user, "a-" + user)).post("/v1/identify")
                .then().statusCode(200).body("accepted", equalTo(1));
        given().contentType(ContentType.JSON)
                .body("{\"batch\":[" + rudderIdentify(batched, "a-" + batched) + "],\"sentAt\":\"2026-01-09T10:01:53Z\"}")
                .post("/v1/batch").then().statusCode(200).body("accepted", equalTo(1));
        try (var events = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.EVENTS)) {
            for (String id : new String[] {user, batched}) {
                var records = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(id), r -> !r.isEmpty());
                JsonNode traits = new ObjectMapper().readTree(records.get(0).value()).path("traits");
                assertEquals("Alex Keener", traits.path("name").asText(), traits.toString());
                assertEquals("premium", traits.path("plan").asText(), traits.toString());
                assertEquals(5, traits.path("logins").asInt(), traits.toString());
            }
        }
    }

    @Test
    void aMergeCallIsAClearProblemNotA404() {
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"merge\",\"userId\":\"u-1\",\"mergeProperties\":[{\"type\":\"email\","
                        + "\"value\":\"alex@example.com\"},{\"type\":\"userId\",\"value\":\"u-1\"}]}")
                .post("/v1/merge").then().statusCode(501).contentType("application/problem+json")
                .body("detail", containsString("/v1/alias"));
    }
}
