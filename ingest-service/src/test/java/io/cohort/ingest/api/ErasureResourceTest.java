package io.cohort.ingest.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class ErasureResourceTest {

    @Test
    void anErasureRequestIsPublishedKeyedBySubscriber() {
        String user = "u-" + UUID.randomUUID();
        String requestId = given().delete("/v1/subscribers/" + user)
                .then().statusCode(202).body("requestId", notNullValue()).extract().path("requestId");
        try (var erasures = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.ERASURE)) {
            var records = await().atMost(Duration.ofSeconds(30)).until(() -> erasures.pollKey(user), r -> r.size() == 1);
            String value = records.get(0).value();
            assertTrue(value.contains("\"subscriberId\":\"" + user + "\""), value);
            assertTrue(value.contains(requestId), value);
        }
    }

    @Test
    void anErasureRequestsStatusIsReadableByItsId() {
        String user = "u-" + UUID.randomUUID();
        String requestId = given().delete("/v1/subscribers/" + user)
                .then().statusCode(202).body("status", equalTo("published"))
                .body("requestedAt", notNullValue()).extract().path("requestId");
        given().get("/v1/requests/" + requestId).then().statusCode(200)
                .body("requestId", equalTo(requestId)).body("kind", equalTo("erasure"))
                // a published erasure no longer keeps the id it erased
                .body("subscriberId", org.hamcrest.Matchers.nullValue()).body("status", equalTo("published"))
                .body("publishedAt", notNullValue());
    }

    @Test
    void aConsentChangeIsPublishedAsConsentUpdatedAndItsStatusIsReadable() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String requestId = given().contentType("application/json")
                .body("{\"channel\":\"Email\",\"status\":\"revoked\",\"source\":\"preference-center\","
                        + "\"timestamp\":\"2024-05-01T10:00:00+02:00\"}")
                .put("/v1/subscribers/" + user + "/consent")
                .then().statusCode(202).body("status", equalTo("published")).extract().path("requestId");
        try (var events = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.EVENTS)) {
            var records = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user), r -> r.size() == 1);
            var event = new com.fasterxml.jackson.databind.ObjectMapper().readTree(records.get(0).value());
            org.junit.jupiter.api.Assertions.assertEquals("Consent Updated", event.path("event").asText());
            org.junit.jupiter.api.Assertions.assertEquals("email", event.path("properties").path("channel").asText());
            org.junit.jupiter.api.Assertions.assertFalse(event.path("properties").path("granted").asBoolean(true));
            org.junit.jupiter.api.Assertions.assertEquals("preference-center", event.path("properties").path("source").asText());
            org.junit.jupiter.api.Assertions.assertEquals("2024-05-01T08:00:00Z", event.path("timestamp").asText());
        }
        given().get("/v1/requests/" + requestId).then().statusCode(200)
                .body("kind", equalTo("consent")).body("subscriberId", equalTo(user));
    }

    @Test
    void anInvalidConsentChangeNamesEachField() {
        given().contentType("application/json").body("{\"status\":\"maybe\",\"timestamp\":\"yesterday\"}")
                .put("/v1/subscribers/u-1/consent")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", org.hamcrest.Matchers.containsInAnyOrder("/channel", "/status", "/timestamp"));
    }

    @Test
    void anUnknownRequestIsNotFound() {
        given().get("/v1/requests/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        given().get("/v1/requests/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void anOverlongSubscriberIdIsRefused() {
        given().delete("/v1/subscribers/" + "x".repeat(256))
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].pointer", equalTo("/id"));
    }
}
