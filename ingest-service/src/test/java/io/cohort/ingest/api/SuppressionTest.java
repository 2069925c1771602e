package io.cohort.ingest.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Issue 15, item 2 (ingest end): after an erasure, events for the subscriber are answered as
 * accepted but dropped (suppress with delete) until an explicit un-suppress; the request log does
 * not keep the erased id.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class SuppressionTest {

    private static TopicRecords events;

    @BeforeAll
    static void readEvents() {
        events = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.EVENTS);
    }

    @AfterAll
    static void close() {
        events.close();
    }

    private static void send(String path, String body) {
        given().contentType(ContentType.JSON).body(body).post(path)
                .then().statusCode(200).body("success", equalTo(true)).body("accepted", equalTo(1));
    }

    private static double suppressedCount() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("cohort_ingest_events_total{") && l.contains("outcome=\"suppressed\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void eventsOfAnErasedSubscriberAreDroppedUntilUnsuppressed() {
        String user = "u-" + UUID.randomUUID();
        String other = "v-" + UUID.randomUUID();
        given().delete("/v1/subscribers/" + user).then().statusCode(202);
        double before = suppressedCount();

        send("/v1/track", "{\"userId\":\"" + user + "\",\"event\":\"After Erasure\"}");
        send("/v1/identify", "{\"userId\":\"" + user + "\",\"anonymousId\":\"a-" + user + "\",\"traits\":{\"x\":1}}");
        send("/v1/track", "{\"anonymousId\":\"" + user + "\",\"event\":\"As Anonymous\"}");
        send("/v1/alias", "{\"userId\":\"" + other + "\",\"previousId\":\"" + user + "\"}");
        given().contentType(ContentType.JSON).body("{\"channel\":\"email\",\"status\":\"granted\"}")
                .put("/v1/subscribers/" + user + "/consent").then().statusCode(202);
        assertEquals(before + 5, suppressedCount());

        given().post("/v1/subscribers/" + user + ":unsuppress").then().statusCode(204);
        given().post("/v1/subscribers/" + user + ":unsuppress").then().statusCode(404)
                .contentType("application/problem+json");
        String messageId = "m-" + UUID.randomUUID();
        send("/v1/track", "{\"messageId\":\"" + messageId + "\",\"userId\":\"" + user + "\",\"event\":\"Back\"}");

        var records = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user),
                r -> r.stream().anyMatch(e -> e.value().contains(messageId)));
        assertEquals(1, records.size(), records.toString());
        assertTrue(events.pollKey(other).isEmpty(), "the alias from the erased id was dropped");
    }

    @Test
    void theRequestLogForgetsTheErasedId() {
        String user = "u-" + UUID.randomUUID();
        String consentId = given().contentType(ContentType.JSON).body("{\"channel\":\"email\",\"status\":\"granted\"}")
                .put("/v1/subscribers/" + user + "/consent").then().statusCode(202).extract().path("requestId");
        given().get("/v1/requests/" + consentId).then().body("subscriberId", equalTo(user));
        String erasureId = given().delete("/v1/subscribers/" + user).then().statusCode(202)
                .extract().path("requestId");
        given().get("/v1/requests/" + erasureId).then().statusCode(200)
                .body("kind", equalTo("erasure")).body("status", equalTo("published")).body("subscriberId", nullValue());
        given().get("/v1/requests/" + consentId).then().statusCode(200)
                .body("kind", equalTo("consent")).body("subscriberId", nullValue());
    }
}
