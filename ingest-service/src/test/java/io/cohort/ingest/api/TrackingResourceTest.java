package io.cohort.ingest.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
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

@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class TrackingResourceTest {

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
    void aTrackCallIsPublishedKeyedBySubscriber() {
        String user = "u-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"messageId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + user
                        + "\",\"event\":\"Email Opened\",\"properties\":{\"campaignId\":\"c1\"},"
                        + "\"context\":{\"ip\":\"192.0.2.1\"},\"timestamp\":\"2026-01-01T10:00:00Z\"}")
                .post("/v1/track")
                .then().statusCode(200).body("success", equalTo(true)).body("accepted", equalTo(1));

        var records = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user), r -> r.size() == 1);
        String value = records.get(0).value();
        assertTrue(value.contains("\"type\":\"track\""), value);
        assertTrue(value.contains("\"event\":\"Email Opened\""), value);
        assertTrue(!value.contains("192.0.2.1"), "the IP address never reaches Kafka");
    }

    @Test
    void aRepeatedMessageIdIsAcknowledgedButPublishedOnce() {
        String user = "u-" + UUID.randomUUID();
        String body = "{\"messageId\":\"dup-" + user + "\",\"userId\":\"" + user + "\",\"event\":\"Product Viewed\"}";
        given().contentType(ContentType.JSON).body(body).post("/v1/track")
                .then().statusCode(200).body("accepted", equalTo(1));
        given().contentType(ContentType.JSON).body(body).post("/v1/track")
                .then().statusCode(200).body("accepted", equalTo(0)).body("duplicates", equalTo(1));
        // a later, distinct event proves the reader is caught up past the duplicate
        given().contentType(ContentType.JSON)
                .body("{\"userId\":\"" + user + "\",\"event\":\"Order Completed\",\"properties\":{\"revenue\":5}}")
                .post("/v1/track").then().statusCode(200);
        var records = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user), r -> r.size() >= 2);
        assertEquals(2, records.size());
    }

    @Test
    void aBatchIsPublishedWhole() {
        String user = "u-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"context\":{\"library\":{\"name\":\"analytics-java\"}},\"batch\":["
                        + "{\"type\":\"identify\",\"userId\":\"" + user + "\",\"traits\":{\"plan\":\"pro\"}},"
                        + "{\"type\":\"track\",\"userId\":\"" + user + "\",\"event\":\"Email Delivered\","
                        + "\"properties\":{\"campaign_id\":\"c9\"}},"
                        + "{\"type\":\"page\",\"userId\":\"" + user + "\",\"name\":\"Pricing\"}]}")
                .post("/v1/batch")
                .then().statusCode(200).body("accepted", equalTo(3));
        var records = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user), r -> r.size() == 3);
        assertTrue(records.get(0).value().contains("analytics-java"), "batch context is merged into each call");
    }

    @Test
    void aBatchWithSomeInvalidCallsAcceptsTheValidOnesAndReportsTheOthersByIndex() {
        String user = "u-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"batch\":[{\"type\":\"track\",\"userId\":\"" + user + "\",\"event\":\"ok\"},"
                        + "{\"type\":\"track\",\"userId\":\"" + user + "\",\"properties\":{\"revenue\":\"ten\"}},"
                        + "{\"type\":\"page\",\"userId\":\"" + user + "\",\"name\":\"Home\"}]}")
                .post("/v1/batch")
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("accepted", equalTo(2))
                .body("duplicates", equalTo(0))
                .body("rejected.size()", equalTo(1))
                .body("rejected[0].index", equalTo(1))
                .body("rejected[0].errors.pointer", hasItems("/batch/1/event", "/batch/1/properties/revenue"));
        // only the two valid calls are published: a marker sent afterwards arrives third
        given().contentType(ContentType.JSON)
                .body("{\"userId\":\"" + user + "\",\"event\":\"marker\"}").post("/v1/track").then().statusCode(200);
        var records = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user),
                r -> r.stream().anyMatch(rec -> rec.value().contains("marker")));
        assertEquals(3, records.size());
        assertTrue(records.stream().noneMatch(r -> r.value().contains("ten")));
    }

    @Test
    void aBatchWithOnlyInvalidCallsIsRefusedWholeWithPointers() {
        String user = "u-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"batch\":[{\"type\":\"track\",\"userId\":\"" + user + "\"},"
                        + "{\"type\":\"track\",\"userId\":\"" + user + "\",\"event\":\"x\",\"properties\":{\"revenue\":\"ten\"}}]}")
                .post("/v1/batch")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.pointer", hasItems("/batch/0/event", "/batch/1/properties/revenue"));
        given().contentType(ContentType.JSON)
                .body("{\"userId\":\"" + user + "\",\"event\":\"marker\"}").post("/v1/track").then().statusCode(200);
        var records = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user), r -> !r.isEmpty());
        assertEquals(1, records.size());
        assertTrue(records.get(0).value().contains("marker"));
    }

    @Test
    void badInputGetsProblemJsonNamingTheField() {
        given().contentType(ContentType.JSON).body("{\"event\":\"x\"}").post("/v1/track")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/userId"));
        given().contentType(ContentType.JSON).body("{\"userId\":\"u\",\"event\":").post("/v1/track")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].message", equalTo("is not well-formed JSON"));
        given().contentType(ContentType.JSON).body("[1,2]").post("/v1/track")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{}").post("/v1/batch")
                .then().statusCode(400).body("errors[0].pointer", equalTo("/batch"));
        given().contentType(ContentType.JSON).body("{}").post("/v1/nowhere")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void healthReflectsKafkaAndTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItems("Database connections health check"));
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
