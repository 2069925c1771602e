package io.cohort.segment.api;

import static io.cohort.segment.api.SegmentFixtures.T0;
import static io.cohort.segment.api.SegmentFixtures.bootstrap;
import static io.cohort.segment.api.SegmentFixtures.changes;
import static io.cohort.segment.api.SegmentFixtures.create;
import static io.cohort.segment.api.SegmentFixtures.events;
import static io.cohort.segment.api.SegmentFixtures.ruleBody;
import static io.cohort.segment.api.SegmentFixtures.uniqueNumber;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.ErasedIds;
import io.cohort.contracts.MembershipChange;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.segment.persistence.Jdbc;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Erasure wins over in-flight data: after an erasure request is processed, a feature vector, scores
 * or an Email Sent event of that subscriber computed or received before the erasure brings nothing
 * back (no view, no membership, no send); data from after the erasure is applied again.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class ErasureWinsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant ERASED_AT = T0.plus(Duration.ofHours(1));
    private static final Instant IN_FLIGHT = T0.plus(Duration.ofMinutes(30));

    private static TopicRecords membershipEvents;

    @Inject
    Jdbc jdbc;
    @Inject
    MeterRegistry registry;
    @Inject
    ObjectMapper json;
    @Inject
    DataSource dataSource;

    @BeforeAll
    static void read() {
        membershipEvents = new TopicRecords(bootstrap(), Topics.SEGMENT_MEMBERSHIP);
    }

    @AfterAll
    static void close() {
        membershipEvents.close();
    }

    @Test
    void dataFromBeforeTheErasureDeliveredAfterItBringsNothingBack() {
        int marker = uniqueNumber();
        String subscriber = "erased-" + marker;
        String segment = create(ruleBody("Erasure wins " + marker, 1, marker, null));
        sendFeatures(subscriber, 1, T0, marker);
        TopicRecords.send(bootstrap(), Topics.EVENTS, subscriber, emailSent("m1-" + marker, subscriber, T0));
        await().atMost(WAIT).until(() -> count("membership", subscriber) == 1
                && count("subscriber_send", subscriber) == 1);

        TopicRecords.send(bootstrap(), Topics.ERASURE, subscriber, "{\"schemaVersion\":1,\"requestId\":\"r-" + marker
                + "\",\"subscriberId\":\"" + subscriber + "\",\"requestedAt\":\"" + ERASED_AT + "\"}");
        await().atMost(WAIT).until(() -> changes(membershipEvents, json, subscriber, segment),
                c -> c.equals(List.of(MembershipChange.ENTERED, MembershipChange.EXITED)));
        assertEquals("subscriber erased", events(membershipEvents, json, subscriber, segment).get(1).reason());
        assertNothingHeld(subscriber);
        assertEquals(1, jdbc.query("select count(*) from erased_subscriber where id_hash = ?",
                s -> s.setString(1, ErasedIds.hash(subscriber)), row -> row.getInt(1)).get(0), "hashed id registered");

        // in flight when the erasure happened: computed / received before it, consumed after it
        double features = dropped("features-in");
        double scores = dropped("scores-in");
        double sends = dropped("events-in");
        sendFeatures(subscriber, 2, IN_FLIGHT, marker);
        sendScores(subscriber, 2, IN_FLIGHT);
        TopicRecords.send(bootstrap(), Topics.EVENTS, subscriber, emailSent("m2-" + marker, subscriber, IN_FLIGHT));
        sendFeatures(subscriber, 3, ERASED_AT, marker);
        await().atMost(WAIT).until(() -> dropped("features-in") == features + 2 && dropped("scores-in") == scores + 1
                && dropped("events-in") == sends + 1);
        assertNothingHeld(subscriber);
        assertEquals(List.of(MembershipChange.ENTERED, MembershipChange.EXITED),
                changes(membershipEvents, json, subscriber, segment));
        given().get("/v1/subscribers/{id}/segments", subscriber).then().statusCode(200).body("segments", empty());
        given().get("/v1/subscribers/{id}/plan", subscriber).then().statusCode(200).body("send", equalTo(false));
        // a send posted through the API dated before the erasure is refused and recorded nowhere
        given().contentType("application/json").body("{\"sentAt\":\"" + IN_FLIGHT + "\"}")
                .post("/v1/subscribers/{id}/sends", subscriber).then().statusCode(409);
        assertEquals(0, count("subscriber_send", subscriber));

        // computed after the erasure (ingest only lets such data through after an explicit un-suppress)
        sendFeatures(subscriber, 4, ERASED_AT.plusSeconds(1), marker);
        await().atMost(WAIT).until(() -> count("membership", subscriber) == 1);
    }

    @Test
    void aVectorCheckedWhileAnErasureIsUnderWayIsDroppedNotWrittenOrDeadLettered() throws Exception {
        int marker = uniqueNumber();
        String subscriber = "erased-race-" + marker;
        sendFeatures(subscriber, 1, T0, marker);
        await().atMost(WAIT).until(() -> count("subscriber_view", subscriber) == 1);
        double dropped = dropped("features-in");
        double deadLettered = deadLettered();

        try (Connection blocker = SegmentFixtures.lockView(dataSource, subscriber)) {
            // the erasure registers the id, then waits for the view row; the vector arrives meanwhile
            TopicRecords.send(bootstrap(), Topics.ERASURE, subscriber, "{\"schemaVersion\":1,\"subscriberId\":\""
                    + subscriber + "\",\"requestedAt\":\"" + ERASED_AT + "\"}");
            await().atMost(WAIT).until(() -> waitingForLocks() >= 1);
            sendFeatures(subscriber, 2, IN_FLIGHT, marker);
            await().atMost(WAIT).until(() -> waitingForLocks() >= 2);
            blocker.commit();
        }
        await().atMost(WAIT).until(() -> dropped("features-in") == dropped + 1);
        assertNothingHeld(subscriber);
        assertEquals(deadLettered, deadLettered());
    }

    private int waitingForLocks() {
        return jdbc.query("select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                + "and pid <> pg_backend_pid()", s -> { }, row -> row.getInt(1)).get(0);
    }

    private double deadLettered() {
        return registry.find("cohort.dead.letters").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private void assertNothingHeld(String subscriber) {
        for (String table : List.of("subscriber_view", "membership", "subscriber_send", "segment_snapshot_member",
                "segment_lookalike_item")) {
            assertEquals(0, count(table, subscriber), table);
        }
    }

    private int count(String table, String subscriber) {
        return jdbc.query("select count(*) from " + table + " where subscriber_id = ?", s -> s.setString(1, subscriber),
                row -> row.getInt(1)).get(0);
    }

    private double dropped(String channel) {
        var counter = registry.find("cohort.segment.erased.dropped").tag("channel", channel).counter();
        return counter == null ? 0 : counter.count();
    }

    private static void sendFeatures(String subscriber, long version, Instant computedAt, int marker) {
        TopicRecords.send(bootstrap(), Topics.FEATURES, subscriber, "{\"schemaVersion\":1,\"subscriberId\":\""
                + subscriber + "\",\"version\":" + version + ",\"computedAt\":\"" + computedAt + "\",\"features\":"
                + "{\"emails_opened_30d\":3.0,\"orders_90d\":" + marker + ".0}}");
    }

    private static void sendScores(String subscriber, long featureVersion, Instant scoredAt) {
        TopicRecords.send(bootstrap(), Topics.SCORES, subscriber, "{\"schemaVersion\":1,\"subscriberId\":\""
                + subscriber + "\",\"featureVersion\":" + featureVersion + ",\"scoredAt\":\"" + scoredAt
                + "\",\"scores\":{\"p_click_7d\":0.4}}");
    }

    private static String emailSent(String messageId, String subscriber, Instant receivedAt) {
        return "{\"schemaVersion\":1,\"messageId\":\"" + messageId + "\",\"type\":\"track\",\"userId\":\"" + subscriber
                + "\",\"event\":\"Email Sent\",\"timestamp\":\"" + receivedAt + "\",\"receivedAt\":\"" + receivedAt
                + "\"}";
    }
}
