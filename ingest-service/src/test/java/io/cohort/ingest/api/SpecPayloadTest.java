package io.cohort.ingest.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Payloads shaped as Segment's HTTP API reference and RudderStack's server-side SDKs send them,
 * extra fields (integrations, channel, originalTimestamp, rudderId) included: they must be taken
 * as they are. Ids are made unique per run so the topic can be checked.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class SpecPayloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TopicRecords events;

    @BeforeAll
    static void readEvents() {
        events = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.EVENTS);
    }

    @AfterAll
    static void close() {
        events.close();
    }

    @Test
    void segmentHttpApiTrack() throws Exception {
        String user = "019mr8mf4r-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("""
                {
                  "userId": "%s",
                  "event": "Item Purchased",
                  "properties": {
                    "name": "Leap to Conclusions Mat",
                    "revenue": 14.99
                  },
                  "context": {
                    "ip": "24.5.68.47"
                  },
                  "integrations": {"All": true, "Mixpanel": false},
                  "timestamp": "2012-12-02T00:30:12.984Z"
                }""".formatted(user))
                .post("/v1/track").then().statusCode(200).body("accepted", equalTo(1));
        var records = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user), r -> r.size() == 1);
        JsonNode event = JSON.readTree(records.get(0).value());
        assertEquals("Item Purchased", event.path("event").asText());
        assertEquals(14.99, event.path("properties").path("revenue").asDouble());
        assertEquals("2012-12-02T00:30:12.984Z", event.path("timestamp").asText());
        assertFalse(records.get(0).value().contains("24.5.68.47"));
    }

    @Test
    void rudderStackBatch() throws Exception {
        String anon = "anon-" + UUID.randomUUID();
        String user = "1hKOmRA4el9Zt1WSfVJIVo4GRlm-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("""
                {
                  "batch": [
                    {
                      "type": "identify",
                      "anonymousId": "%1$s",
                      "userId": "%2$s",
                      "channel": "server",
                      "rudderId": "8f8fa740-5e31-4e66-a8f8-9e2b8ec1e7a0",
                      "messageId": "%3$s-1",
                      "originalTimestamp": "2024-05-01T10:00:00.000Z",
                      "sentAt": "2024-05-01T10:00:01.000Z",
                      "timestamp": "2024-05-01T10:00:00.000Z",
                      "context": {
                        "library": {"name": "rudder-sdk-java", "version": "3.0.0"},
                        "traits": {"plan": "Gold"}
                      },
                      "traits": {"plan": "Gold", "friends": 42},
                      "integrations": {"All": true}
                    },
                    {
                      "type": "track",
                      "userId": "%2$s",
                      "event": "Order Completed",
                      "channel": "server",
                      "messageId": "%3$s-2",
                      "properties": {"order_id": "50314b8e", "revenue": 25.0, "currency": "USD"},
                      "context": {"library": {"name": "rudder-sdk-java", "version": "3.0.0"}},
                      "originalTimestamp": "2024-05-01T10:05:00.000Z",
                      "sentAt": "2024-05-01T10:05:01.000Z",
                      "integrations": {"All": true}
                    }
                  ],
                  "sentAt": "2024-05-01T10:05:01.000Z"
                }""".formatted(anon, user, UUID.randomUUID()))
                .post("/v1/batch").then().statusCode(200).body("accepted", equalTo(2)).body("rejected.size()", equalTo(0));
        var records = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user), r -> r.size() == 2);
        JsonNode identify = JSON.readTree(records.get(0).value());
        assertEquals("identify", identify.path("type").asText());
        assertEquals(anon, identify.path("anonymousId").asText());
        assertEquals("rudder-sdk-java", identify.path("context").path("library").path("name").asText());
    }
}
