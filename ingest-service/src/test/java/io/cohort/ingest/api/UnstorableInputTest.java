package io.cohort.ingest.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, items 1 and 11: input that no consumer can store (a NUL character, a year PostgreSQL
 * cannot hold, a number that is Infinity once parsed) is refused at the edge with a problem naming
 * the field, in every intake path, and never reaches cohort.events.v1.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class UnstorableInputTest {

    private static TopicRecords events;

    @BeforeAll
    static void readEvents() {
        events = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.EVENTS);
    }

    @AfterAll
    static void close() {
        events.close();
    }

    private static void track(String body, int status) {
        given().contentType(ContentType.JSON).body(body).post("/v1/track").then().statusCode(status);
    }

    /** A later good event proves the reader has caught up; it must be the only one for the user. */
    private static void onlyTheGoodEventIsPublished(String user) {
        track("{\"userId\":\"" + user + "\",\"event\":\"Good\"}", 200);
        var records = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user), r -> !r.isEmpty());
        assertEquals(1, records.size(), records.toString());
    }

    @Test
    void aNulInAPropertyIsRefusedNamingTheField() {
        String user = "u-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"userId\":\"" + user + "\",\"event\":\"E\",\"properties\":{\"n\":\"a\\u0000b\"}}")
                .post("/v1/track").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/properties/n"))
                .body("errors.message", hasItem(containsString("U+0000")));
        given().contentType(ContentType.JSON)
                .body("{\"batch\":[{\"type\":\"identify\",\"userId\":\"" + user + "\",\"traits\":{\"k\\u0000\":1}}]}")
                .post("/v1/batch").then().statusCode(400).body("errors.pointer", hasItem("/batch/0/traits/k\u0000"));
        onlyTheGoodEventIsPublished(user);
    }

    @Test
    void anUnpairedSurrogateIsRefused() {
        String user = "u-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"userId\":\"" + user + "\",\"event\":\"E\",\"properties\":{\"s\":\"a\\ud800\"}}")
                .post("/v1/track").then().statusCode(400).body("errors[0].pointer", equalTo("/properties/s"));
        onlyTheGoodEventIsPublished(user);
    }

    @Test
    void aTimestampPostgresCannotStoreIsRefused() {
        String user = "u-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"userId\":\"" + user + "\",\"event\":\"E\",\"timestamp\":\"-5000-01-01T00:00:00Z\"}")
                .post("/v1/track").then().statusCode(400).body("errors[0].pointer", equalTo("/timestamp"));
        given().contentType(ContentType.JSON)
                .body("{\"userId\":\"" + user + "\",\"event\":\"E\",\"timestamp\":\"1969-07-20T20:17:00Z\"}")
                .post("/v1/track").then().statusCode(400).body("errors[0].pointer", equalTo("/timestamp"));
        onlyTheGoodEventIsPublished(user);
    }

    @Test
    void revenueThatOverflowsToInfinityIsRefused() {
        String user = "u-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"userId\":\"" + user + "\",\"event\":\"Order Completed\",\"properties\":{\"revenue\":1e400}}")
                .post("/v1/track").then().statusCode(400).body("errors[0].pointer", equalTo("/properties/revenue"));
        onlyTheGoodEventIsPublished(user);
    }

    @Test
    void consentAndErasureForAnIdWithNulAreRefused() {
        String user = "u-" + UUID.randomUUID();
        given().urlEncodingEnabled(false).contentType(ContentType.JSON)
                .body("{\"channel\":\"email\",\"status\":\"granted\"}")
                .put("/v1/subscribers/" + user + "%00b/consent")
                .then().statusCode(400).contentType("application/problem+json");
        given().urlEncodingEnabled(false).delete("/v1/subscribers/" + user + "%00b")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"channel\":\"email\",\"status\":\"granted\",\"source\":\"x\\u0000\"}")
                .put("/v1/subscribers/" + user + "/consent")
                .then().statusCode(400).body("errors[0].pointer", equalTo("/source"));
        onlyTheGoodEventIsPublished(user);
    }

    @Test
    void aCsvRowWithNulOrInfinityIsARowError() {
        String p = "csv-" + UUID.randomUUID() + "-";
        String csv = "userId,event,properties.revenue,properties.note\n"
                + p + "1,Order Completed,1e400,x\n"
                + p + "2,Order Completed,5,a\u0000b\n"
                + p + "3,Order Completed,5,fine\n";
        String id = given().contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8))
                .post("/v1/imports?kind=events").then().statusCode(202).extract().path("id");
        var status = await().atMost(Duration.ofSeconds(60)).until(
                () -> given().get("/v1/imports/" + id).then().statusCode(200).extract().jsonPath(),
                s -> "completed".equals(s.getString("status")));
        assertEquals(1, status.getInt("accepted"), status.prettify());
        assertEquals(2, status.getInt("rejected"), status.prettify());
        assertEquals(java.util.List.of(2, 3), status.getList("errors.line", Integer.class), status.prettify());
    }
}
