package io.cohort.feature.messaging;

import static io.cohort.feature.messaging.FeatureTopics.send;
import static io.cohort.feature.messaging.FeatureTopics.track;
import static io.cohort.feature.messaging.FeatureTopics.vectors;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class TimelineTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TopicRecords features;

    @BeforeAll
    static void readFeatures() {
        features = new TopicRecords(FeatureTopics.bootstrap(), Topics.FEATURES);
    }

    @AfterAll
    static void close() {
        features.close();
    }

    private static Instant hoursAgo(long hours) {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofHours(hours));
    }

    private static void awaitVersion(String user, long version) {
        await().atMost(WAIT).until(() -> vectors(features, user),
                p -> p.stream().anyMatch(v -> v != null && v.version() == version));
    }

    /** Follows the cursor to the end, returning the message ids newest first. */
    private static List<String> allPages(String user, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().queryParam("limit", limit);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/subscribers/{id}/timeline", user).then().statusCode(200)
                    .extract().jsonPath();
            List<String> pageIds = page.getList("items.messageId");
            assertEquals(true, pageIds.size() <= limit);
            ids.addAll(pageIds);
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return ids;
    }

    @Test
    void newestFirstPagedCappedAndWithoutDuplicates() {
        String user = "u-" + UUID.randomUUID();
        List<EventEnvelope> events = new ArrayList<>();
        events.add(new EventEnvelope(1, UUID.randomUUID().toString(), EventType.IDENTIFY, user, null, null, null,
                null, null, Map.of("firstName", "Ada"), Map.of("timezone", "UTC"), hoursAgo(70), null, null));
        for (int i = 6; i >= 1; i--) {
            events.add(track(user, CanonicalEvents.EMAIL_OPENED, Map.of("campaignId", "c" + i), hoursAgo(10L * i)));
        }
        events.forEach(FeatureTopics::send);
        awaitVersion(user, events.size());
        // the newest again (a redelivery), then a new one to prove the consumer is past it
        send(events.get(events.size() - 1));
        EventEnvelope page = new EventEnvelope(1, UUID.randomUUID().toString(), EventType.PAGE, user, null, null,
                null, "Pricing", Map.of("url", "https://shop.example/pricing"), null, null, hoursAgo(1), null, null);
        send(page);
        awaitVersion(user, events.size() + 1);

        List<String> expected = new ArrayList<>();
        expected.add(page.messageId());
        for (int i = events.size() - 1; i >= events.size() - 4; i--) {
            expected.add(events.get(i).messageId());
        }
        // keep = 5 in tests: the identify and the oldest opens were dropped; the redelivery is not there twice
        assertEquals(expected, allPages(user, 2));
        assertEquals(expected, allPages(user, 100));

        JsonPath first = given().queryParam("limit", 1).get("/v1/subscribers/{id}/timeline", user)
                .then().statusCode(200).extract().jsonPath();
        assertEquals("page", first.getString("items[0].type"));
        assertEquals("Pricing", first.getString("items[0].name"));
        assertEquals("https://shop.example/pricing", first.getString("items[0].properties.url"));
        assertEquals(page.timestamp().toString(), first.getString("items[0].occurredAt"));
        JsonPath second = given().queryParam("limit", 1).queryParam("cursor", first.getString("nextCursor"))
                .get("/v1/subscribers/{id}/timeline", user).then().statusCode(200).extract().jsonPath();
        assertEquals("track", second.getString("items[0].type"));
        assertEquals(CanonicalEvents.EMAIL_OPENED, second.getString("items[0].event"));
        assertEquals("c1", second.getString("items[0].properties.campaignId"));
        assertNull(second.get("items[0].traits"));
    }

    @Test
    void badParametersAreProblemsAndUnknownSubscribersAre404() {
        String user = "u-" + UUID.randomUUID();
        send(track(user, CanonicalEvents.EMAIL_SENT, null, hoursAgo(1)));
        awaitVersion(user, 1);
        given().queryParam("limit", 0).get("/v1/subscribers/{id}/timeline", user)
                .then().statusCode(400).contentType("application/problem+json").body("errors.pointer", hasItem("/limit"));
        given().queryParam("limit", "ten").get("/v1/subscribers/{id}/timeline", user)
                .then().statusCode(400).body("errors.pointer", hasItem("/limit"));
        given().queryParam("cursor", "not-a-cursor").get("/v1/subscribers/{id}/timeline", user)
                .then().statusCode(400).body("errors.pointer", hasItem("/cursor"));
        // well-formed, but an instant PostgreSQL can't compare with: still the client's error, not a 500
        String farFuture = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "+300000-01-01T00:00:00Z|5".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        given().queryParam("cursor", farFuture).get("/v1/subscribers/{id}/timeline", user)
                .then().statusCode(400).contentType("application/problem+json").body("errors.pointer", hasItem("/cursor"));
        given().get("/v1/subscribers/{id}/timeline", "nobody-" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().get("/v1/subscribers/{id}/timeline", user).then().statusCode(200)
                .body("items.event", hasItem(CanonicalEvents.EMAIL_SENT));
    }
}
