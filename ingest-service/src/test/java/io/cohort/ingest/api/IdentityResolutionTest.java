package io.cohort.ingest.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
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
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pre-identify events (only an anonymousId) are held, then published keyed by the userId once an
 * identify or alias links the ids — exactly once, on the real topic. Nothing is ever keyed by the
 * anonymous id.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class IdentityResolutionTest {

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

    private static JsonNode json(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void post(String path, String body, int accepted, Integer pending) {
        var response = given().contentType(ContentType.JSON).body(body).post(path).then().statusCode(200)
                .body("accepted", equalTo(accepted));
        if (pending == null) {
            response.body("pending", nullValue());
        } else {
            response.body("pending", equalTo(pending));
        }
    }

    @Test
    void eventsBeforeIdentifyArePublishedUnderTheUserIdOnceLinkedExactlyOnce() {
        String anon = "anon-" + UUID.randomUUID();
        String user = "user-" + UUID.randomUUID();
        String run = UUID.randomUUID().toString();
        post("/v1/batch", """
                {"batch": [
                  {"type": "page", "anonymousId": "%1$s", "name": "Pricing", "messageId": "%2$s-1",
                   "timestamp": "2024-05-01T10:00:00Z"},
                  {"type": "track", "anonymousId": "%1$s", "event": "Product Viewed", "messageId": "%2$s-2",
                   "properties": {"product_id": "p-1"}, "timestamp": "2024-05-01T10:01:00Z"}
                ]}""".formatted(anon, run), 2, 2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> events.pollKey(anon).isEmpty() && events.pollKey(user).isEmpty());

        String identify = """
                {"anonymousId": "%s", "userId": "%s", "traits": {"plan": "Gold"}, "messageId": "%s-3",
                 "timestamp": "2024-05-01T10:02:00Z"}""".formatted(anon, user, run);
        post("/v1/identify", identify, 1, null);
        List<ConsumerRecord<String, String>> published = await().atMost(Duration.ofSeconds(30))
                .until(() -> events.pollKey(user), r -> r.size() >= 3);
        assertEquals(List.of("identify", "page", "track"), published.stream().map(r -> json(r).path("type").asText()).toList());
        for (ConsumerRecord<String, String> record : published) {
            assertEquals(user, json(record).path("userId").asText());
            assertEquals(anon, json(record).path("anonymousId").asText());
        }
        assertEquals("Product Viewed", json(published.get(2)).path("event").asText());

        // linked now: an anonymous-only event goes straight to the user's key
        post("/v1/track", """
                {"anonymousId": "%s", "event": "Product Viewed", "messageId": "%s-4"}""".formatted(anon, run), 1, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user), r -> r.size() >= 4);

        // a retried identify releases nothing again
        given().contentType(ContentType.JSON).body(identify).post("/v1/identify").then().statusCode(200)
                .body("duplicates", equalTo(1));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> events.pollKey(user).size() == 4 && events.pollKey(anon).isEmpty());
    }

    @Test
    void aliasLinksThePreviousIdAndAnIdentifyInTheSameBatchReleasesEarlierCalls() {
        String anon = "anon-" + UUID.randomUUID();
        String anon2 = "anon-" + UUID.randomUUID();
        String user = "user-" + UUID.randomUUID();
        post("/v1/track", """
                {"anonymousId": "%s", "event": "Product Viewed"}""".formatted(anon2), 1, 1);
        post("/v1/batch", """
                {"batch": [
                  {"type": "track", "anonymousId": "%1$s", "event": "Product Viewed"},
                  {"type": "identify", "anonymousId": "%1$s", "userId": "%2$s"},
                  {"type": "alias", "previousId": "%3$s", "userId": "%2$s"}
                ]}""".formatted(anon, user, anon2), 3, null);
        var published = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user), r -> r.size() >= 4);
        assertEquals(List.of("identify", "track", "alias", "track"),
                published.stream().limit(4).map(r -> json(r).path("type").asText()).toList());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> events.pollKey(user).size() == 4);
    }
}
