package io.cohort.segment.api;

import static io.cohort.segment.api.SegmentFixtures.bootstrap;
import static io.cohort.segment.api.SegmentFixtures.uniqueNumber;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.segment.persistence.Jdbc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sends for cadence caps recorded from "Email Sent" events, once per messageId across events and the API. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class EmailSentEventsTest {

    @Inject
    Jdbc jdbc;

    @Test
    void anEmailSentEventRecordsOneSendPerMessageIdEvenWhenRedeliveredOrAlsoPosted() {
        int marker = uniqueNumber();
        String subscriber = "sent-" + marker;
        String first = "msg-" + marker + "-1";
        send(event(first, subscriber, "Email Sent", "2026-03-01T09:00:00Z"));
        send(event(first, subscriber, "Email Sent", "2026-03-01T09:00:00Z"));
        send(event("msg-" + marker + "-open", subscriber, "Email Opened", "2026-03-01T09:05:00Z"));
        // same key, same partition: once this one is recorded the records before it were consumed
        String last = "msg-" + marker + "-2";
        send(event(last, subscriber, "Email Sent", "2026-03-02T09:00:00Z"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !messageIds(subscriber).isEmpty()
                && messageIds(subscriber).contains(last));
        assertEquals(List.of(first, last), messageIds(subscriber), "one row per messageId, opens ignored");
        assertEquals(List.of("2026-03-01T09:00:00Z", "2026-03-02T09:00:00Z"), jdbc.query(
                "select sent_at from subscriber_send where subscriber_id = ? order by sent_at",
                s -> s.setString(1, subscriber), row -> row.getObject(1, java.time.OffsetDateTime.class)
                        .toInstant().toString()));

        // the sender also posts the first send with its messageId: still counted once
        given().contentType(ContentType.JSON).body("{\"sentAt\":\"2026-03-01T09:00:00Z\",\"messageId\":\"" + first + "\"}")
                .post("/v1/subscribers/" + subscriber + "/sends").then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"messageId\":7}")
                .post("/v1/subscribers/" + subscriber + "/sends").then().statusCode(400);
        assertEquals(List.of(first, last), messageIds(subscriber));
    }

    private List<String> messageIds(String subscriber) {
        return jdbc.query("select message_id from subscriber_send where subscriber_id = ? order by sent_at",
                s -> s.setString(1, subscriber), row -> row.getString(1));
    }

    private static void send(String json) {
        String key = json.replaceAll(".*\"userId\":\"([^\"]+)\".*", "$1");
        TopicRecords.send(bootstrap(), Topics.EVENTS, key, json);
    }

    private static String event(String messageId, String subscriber, String name, String timestamp) {
        return "{\"schemaVersion\":1,\"messageId\":\"" + messageId + "\",\"type\":\"track\",\"userId\":\"" + subscriber
                + "\",\"event\":\"" + name + "\",\"properties\":{\"campaignId\":\"c-1\"},\"timestamp\":\""
                + timestamp + "\",\"receivedAt\":\"" + timestamp + "\"}";
    }
}
