package io.cohort.ingest.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rest of Segment's tracking surface: screen, alias, import, gzip and text/plain bodies, DLQ. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class SegmentSurfaceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TopicRecords events;
    private static TopicRecords deadLetters;

    @BeforeAll
    static void readTopics() {
        events = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.EVENTS);
        deadLetters = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.EVENTS_DLQ);
    }

    @AfterAll
    static void close() {
        events.close();
        deadLetters.close();
    }

    private static String user() {
        return "u-" + UUID.randomUUID();
    }

    private static JsonNode json(String value) throws IOException {
        return JSON.readTree(value);
    }

    @Test
    void aScreenCallIsPublished() throws IOException {
        String user = user();
        given().contentType(ContentType.JSON).body("{\"userId\":\"" + user + "\",\"name\":\"Home\"}")
                .post("/v1/screen").then().statusCode(200).body("accepted", equalTo(1));
        var records = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user), r -> r.size() == 1);
        JsonNode value = json(records.get(0).value());
        assertEquals("screen", value.path("type").asText());
        assertEquals("Home", value.path("name").asText());
    }

    @Test
    void anAliasCallIsPublishedKeyedByUserIdWithThePreviousIdInProperties() throws IOException {
        String user = user();
        String previous = "anon-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"alias\",\"previousId\":\"" + previous + "\",\"userId\":\"" + user + "\"}")
                .post("/v1/alias").then().statusCode(200).body("accepted", equalTo(1));
        var records = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user), r -> r.size() == 1);
        JsonNode value = json(records.get(0).value());
        assertEquals("alias", value.path("type").asText());
        assertEquals(previous, value.path("properties").path("previousId").asText());
    }

    @Test
    void anAliasNeedsBothIds() {
        given().contentType(ContentType.JSON).body("{\"anonymousId\":\"a\"}").post("/v1/alias")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItems("/userId", "/previousId"));
    }

    @Test
    void importIsTheBatchEndpoint() {
        String user = user();
        given().contentType(ContentType.JSON)
                .body("{\"batch\":[{\"type\":\"identify\",\"userId\":\"" + user + "\",\"traits\":{\"plan\":\"pro\"}},"
                        + "{\"type\":\"track\",\"userId\":\"" + user + "\"}]}")
                .post("/v1/import").then().statusCode(200)
                .body("accepted", equalTo(1))
                .body("rejected[0].index", equalTo(1))
                .body("rejected[0].errors[0].pointer", equalTo("/batch/1/event"));
        await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user), r -> r.size() == 1);
    }

    @Test
    void aGzippedBodyIsInflated() throws IOException {
        String user = user();
        String body = "{\"batch\":[{\"type\":\"track\",\"userId\":\"" + user + "\",\"event\":\"Product Viewed\"},"
                + "{\"type\":\"track\",\"userId\":\"" + user + "\",\"event\":\"Order Completed\",\"properties\":{\"revenue\":9.5}}]}";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(body.getBytes(StandardCharsets.UTF_8));
        }
        given().contentType(ContentType.JSON).header("Content-Encoding", "gzip").body(bytes.toByteArray())
                .post("/v1/batch").then().statusCode(200).body("accepted", equalTo(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user), r -> r.size() == 2);
    }

    @Test
    void theBodyLimitAppliesToTheInflatedBody() throws IOException {
        // 600 KB of JSON that gzips to a few KB: over the 500 KB batch limit once inflated
        String body = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"x\",\"properties\":{\"pad\":\""
                + " ".repeat(600 * 1024) + "\"}}]}";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(body.getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(bytes.size() < 100 * 1024);
        // one answer, the problem document (the HTTP layer no longer answers first)
        given().contentType(ContentType.JSON).header("Content-Encoding", "gzip").body(bytes.toByteArray())
                .post("/v1/batch").then().statusCode(413).contentType("application/problem+json")
                .body("status", equalTo(413)).body("title", equalTo("Content Too Large"));
    }

    @Test
    void aPlainBodyOverTheLimitIsOne413Problem() {
        String body = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"x\",\"properties\":{\"pad\":\""
                + "x".repeat(510 * 1024) + "\"}}]}";
        given().contentType(ContentType.JSON).body(body).post("/v1/batch").then().statusCode(413)
                .contentType("application/problem+json").body("status", equalTo(413));
        // just under the limit is read (and refused by validation for the 32 KB call limit, not by size)
        String under = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"x\",\"properties\":{\"pad\":\""
                + "x".repeat(490 * 1024) + "\"}}]}";
        given().contentType(ContentType.JSON).body(under).post("/v1/batch").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].pointer", equalTo("/batch/0"));
    }

    @Test
    void aTextPlainBodyIsReadAsJson() {
        String user = user();
        given().contentType("text/plain; charset=utf-8")
                .body("{\"userId\":\"" + user + "\",\"event\":\"Product Viewed\"}")
                .post("/v1/track").then().statusCode(200).body("accepted", equalTo(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user), r -> r.size() == 1);
    }

    @Test
    void aCallOver32KbIsRefused() {
        given().contentType(ContentType.JSON)
                .body("{\"userId\":\"u\",\"event\":\"x\",\"properties\":{\"blob\":\"" + "x".repeat(33 * 1024) + "\"}}")
                .post("/v1/track").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].pointer", equalTo("/"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("32768"));
    }

    @Test
    void anEmailEventWithoutACampaignIdIsRefused() {
        given().contentType(ContentType.JSON)
                .body("{\"userId\":\"u\",\"event\":\"Email Opened\",\"properties\":{\"subject\":\"Hi\"}}")
                .post("/v1/track").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/properties/campaignId"));
    }

    @Test
    void aRefusedCallGoesToTheDeadLetterTopicWithTheReasonAndWithoutTheIp() throws IOException {
        String messageId = "bad-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"messageId\":\"" + messageId + "\",\"event\":\"Email Opened\","
                        + "\"context\":{\"ip\":\"192.0.2.7\",\"locale\":\"de-DE\"}}")
                .post("/v1/track").then().statusCode(400);
        var records = await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.pollKey(messageId),
                r -> r.size() == 1);
        String raw = records.get(0).value();
        assertFalse(raw.contains("192.0.2.7"), "the IP address never reaches Kafka");
        JsonNode letter = json(raw);
        assertEquals(1, letter.path("schemaVersion").asInt());
        assertEquals(messageId, letter.path("messageId").asText());
        assertEquals("/v1/track", letter.path("endpoint").asText());
        assertTrue(letter.hasNonNull("receivedAt"));
        assertEquals("/userId", letter.path("errors").path(0).path("pointer").asText());
        assertEquals("/properties/campaignId", letter.path("errors").path(1).path("pointer").asText());
        assertEquals("de-DE", letter.path("call").path("context").path("locale").asText());
    }

    @Test
    void theRejectedCallsOfAPartlyValidBatchGoToTheDeadLetterTopic() throws IOException {
        String user = user();
        String badId = "bad-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"batch\":[{\"type\":\"track\",\"userId\":\"" + user + "\",\"event\":\"ok\"},"
                        + "{\"type\":\"track\",\"messageId\":\"" + badId + "\",\"userId\":\"" + user
                        + "\",\"event\":\"Order Completed\",\"properties\":{\"revenue\":\"ten\"}}]}")
                .post("/v1/batch").then().statusCode(200).body("accepted", equalTo(1));
        var records = await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.pollKey(badId),
                r -> r.size() == 1);
        JsonNode letter = json(records.get(0).value());
        assertEquals("/v1/batch", letter.path("endpoint").asText());
        assertEquals("/batch/1/properties/revenue", letter.path("errors").path(0).path("pointer").asText());
        assertEquals("ten", letter.path("call").path("properties").path("revenue").asText());
    }
}
