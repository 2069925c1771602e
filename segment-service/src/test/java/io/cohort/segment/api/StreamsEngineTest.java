package io.cohort.segment.api;

import static io.cohort.segment.api.SegmentFixtures.bootstrap;
import static io.cohort.segment.api.SegmentFixtures.changes;
import static io.cohort.segment.api.SegmentFixtures.create;
import static io.cohort.segment.api.SegmentFixtures.events;
import static io.cohort.segment.api.SegmentFixtures.ruleBody;
import static io.cohort.segment.api.SegmentFixtures.sendFeatures;
import static io.cohort.segment.api.SegmentFixtures.uniqueNumber;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.MembershipChange;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.segment.persistence.Jdbc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The streams engine against the devstack broker: a vector on cohort.features.v1 leads to
 * one entered event from the Kafka Streams topology, the lookup answers from its store (through the
 * owner check of an interactive query), and the feature tombstone exits the membership. The
 * PostgreSQL path stays off: no view row is written.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
@TestProfile(StreamsEngineTest.StreamsEngine.class)
public class StreamsEngineTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static TopicRecords membershipEvents;

    @Inject
    ObjectMapper json;
    @Inject
    KafkaStreams streams;
    @Inject
    Jdbc jdbc;

    @BeforeAll
    static void read() {
        membershipEvents = new TopicRecords(bootstrap(), Topics.SEGMENT_MEMBERSHIP);
    }

    @AfterAll
    static void close() {
        membershipEvents.close();
    }

    @Test
    void aVectorEntersThroughTheStreamAndTheLookupAnswersFromTheStore() {
        await().atMost(WAIT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        int marker = uniqueNumber();
        String subscriber = "streams-" + marker;
        String segment = create(ruleBody("Streams openers " + marker, 2, marker, null));

        sendFeatures(subscriber, 1, Map.of("emails_opened_30d", 3.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> changes(membershipEvents, json, subscriber, segment),
                c -> c.equals(List.of(MembershipChange.ENTERED)));
        given().get("/v1/subscribers/{id}/segments", subscriber).then().statusCode(200)
                .body("subscriberId", equalTo(subscriber))
                .body("segments.segmentId", contains(segment))
                .body("segments[0].holdout", equalTo(false));
        given().get("/v1/subscribers/{id}/segments?explain=true", subscriber).then().statusCode(200)
                .body("segments[0].explanation.passed", equalTo(true));

        sendFeatures(subscriber, 2, Map.of("emails_opened_30d", 3.0, "orders_90d", (double) marker));
        TopicRecords.send(bootstrap(), Topics.FEATURES, subscriber, null);
        await().atMost(WAIT).until(() -> changes(membershipEvents, json, subscriber, segment),
                c -> c.equals(List.of(MembershipChange.ENTERED, MembershipChange.EXITED)));
        given().get("/v1/subscribers/{id}/segments", subscriber).then().statusCode(200).body("segments", empty());
        assertEquals(0, jdbc.query("select count(*) from subscriber_view where subscriber_id = ?",
                s -> s.setString(1, subscriber), row -> row.getInt(1)).get(0), "the PostgreSQL path stayed off");
    }

    @Test
    void memberPagesSizesCsvSamplesAndTheMemberLookupAnswerFromTheStores() {
        await().atMost(WAIT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        int marker = uniqueNumber();
        String segment = create(ruleBody("Streams pages " + marker, 2, marker, null));
        List<String> subscribers = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String subscriber = "pages-" + marker + "-" + i;
            subscribers.add(subscriber);
            // the last one has unsubscribed: a member, but never send-eligible
            sendFeatures(subscriber, 1, i == 6 ? Map.of("emails_opened_30d", 3.0, "orders_90d", (double) marker,
                    "unsubscribed", 1.0) : Map.of("emails_opened_30d", 3.0, "orders_90d", (double) marker));
        }
        sendFeatures("pages-" + marker + "-out", 1, Map.of("emails_opened_30d", 1.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> given().get("/v1/segments/{id}/size", segment).then().extract().statusCode()
                == 200 && given().get("/v1/segments/{id}/size", segment).jsonPath().getInt("size") == 7);
        given().get("/v1/segments/{id}/size", segment).then().statusCode(200).body("eligible", equalTo(6))
                .body("holdout", equalTo(0));

        List<String> paged = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = given().queryParam("limit", 3).queryParam("cursor", cursor == null ? "" : cursor)
                    .get("/v1/segments/{id}/members", segment).then().statusCode(200).extract().jsonPath();
            paged.addAll(page.getList("items.subscriberId", String.class));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(subscribers, paged, "every member once, in subscriber id order, over three pages");
        assertEquals(3, pages);

        List<String> eligible = given().queryParam("eligible", "true").queryParam("limit", 100)
                .get("/v1/segments/{id}/members", segment).then().statusCode(200).extract().jsonPath()
                .getList("items.subscriberId", String.class);
        assertEquals(subscribers.subList(0, 6), eligible);

        String csv = given().queryParam("format", "csv").get("/v1/segments/{id}/members", segment).then()
                .statusCode(200).extract().asString();
        List<String> lines = csv.lines().toList();
        assertEquals("subscriber_id,entered_at,holdout", lines.get(0));
        assertEquals(subscribers, lines.subList(1, lines.size()).stream().map(l -> l.split(",")[0]).toList());
        given().queryParam("percent", 100).get("/v1/segments/{id}/sample", segment).then().statusCode(200)
                .body("items.subscriberId", equalTo(subscribers));

        given().get("/v1/segments/{id}/members/{sid}", segment, subscribers.get(0)).then().statusCode(200)
                .body("member", equalTo(true)).body("explanation.passed", equalTo(true));
        given().get("/v1/segments/{id}/members/{sid}", segment, "pages-" + marker + "-out").then().statusCode(200)
                .body("member", equalTo(false)).body("explanation.passed", equalTo(false));
        assertEquals(0, jdbc.query("select count(*) from membership where segment_id = ?",
                s -> s.setObject(1, UUID.fromString(segment)), row -> row.getInt(1)).get(0),
                "no PostgreSQL membership rows");
    }

    @Test
    void createEditAndArchiveRescanTheStoresAndTheBackfillJobFollowsThem() {
        await().atMost(WAIT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        int marker = uniqueNumber();
        String subscriber = "backfill-" + marker;
        String first = create(ruleBody("Streams first " + marker, 2, marker, null));
        sendFeatures(subscriber, 1, Map.of("emails_opened_30d", 3.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> changes(membershipEvents, json, subscriber, first),
                c -> c.equals(List.of(MembershipChange.ENTERED)));
        long outboxBefore = outboxRows();

        var created = given().contentType(io.restassured.http.ContentType.JSON)
                .body(ruleBody("Streams backfilled " + marker, 3, marker, null)).post("/v1/segments").then()
                .statusCode(201).extract().jsonPath();
        String second = created.getString("id");
        String job = created.getString("backfillJobId");
        await().atMost(WAIT).until(() -> given().get("/v1/jobs/{id}", job).jsonPath().getString("status"),
                "completed"::equals);
        assertEquals(List.of(MembershipChange.ENTERED), changes(membershipEvents, json, subscriber, second),
                "the rescan entered the view the store already held");
        given().get("/v1/jobs/{id}", job).then().body("kind", equalTo("backfill"))
                .body("processed", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("segmentVersion", equalTo(1));

        String edited = given().contentType(io.restassured.http.ContentType.JSON)
                .body(ruleBody("Streams backfilled " + marker, 4, marker, null)).put("/v1/segments/{id}", second)
                .then().statusCode(200).body("version", equalTo(2)).extract().jsonPath().getString("backfillJobId");
        await().atMost(WAIT).until(() -> given().get("/v1/segments/{id}/backfill", second).jsonPath()
                .getString("status"), "completed"::equals);
        given().get("/v1/segments/{id}/backfill", second).then().body("id", equalTo(edited));
        assertEquals(List.of(MembershipChange.ENTERED, MembershipChange.EXITED),
                changes(membershipEvents, json, subscriber, second));

        given().delete("/v1/segments/{id}", first).then().statusCode(204);
        await().atMost(WAIT).until(() -> events(membershipEvents, json, subscriber, first).stream()
                .map(e -> e.change() + " " + e.reason()).toList(),
                c -> c.equals(List.of(MembershipChange.ENTERED + " " + c.get(0).substring(8),
                        MembershipChange.EXITED + " segment archived")));
        assertEquals(outboxBefore, outboxRows(), "nothing went through the outbox");
        assertEquals(0, jdbc.query("select count(*) from membership where subscriber_id = ?",
                st -> st.setString(1, subscriber), row -> row.getInt(1)).get(0), "no PostgreSQL membership rows");
    }

    @Test
    void anErasureRequestExitsTheMembershipAndDropsFeaturesStillInFlight() {
        await().atMost(WAIT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        int marker = uniqueNumber();
        String subscriber = "erased-" + marker;
        String segment = create(ruleBody("Streams erasure " + marker, 2, marker, null));
        sendFeatures(subscriber, 1, Map.of("emails_opened_30d", 3.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> changes(membershipEvents, json, subscriber, segment),
                c -> c.equals(List.of(MembershipChange.ENTERED)));
        double droppedBefore = metric("cohort_segment_erased_dropped_total{channel=\"features-stream\"}");

        TopicRecords.send(bootstrap(), Topics.ERASURE, subscriber, "{\"schemaVersion\":1,\"requestId\":\"r-"
                + marker + "\",\"subscriberId\":\"" + subscriber + "\",\"requestedAt\":\"" + java.time.Instant.now()
                + "\"}");
        await().atMost(WAIT).until(() -> changes(membershipEvents, json, subscriber, segment),
                c -> c.equals(List.of(MembershipChange.ENTERED, MembershipChange.EXITED)));
        // computed (T0) before the erasure, delivered after it: dropped, the person does not come back
        sendFeatures(subscriber, 2, Map.of("emails_opened_30d", 9.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> metric("cohort_segment_erased_dropped_total{channel=\"features-stream\"}")
                > droppedBefore);
        assertEquals(List.of(MembershipChange.ENTERED, MembershipChange.EXITED),
                changes(membershipEvents, json, subscriber, segment));
        given().get("/v1/subscribers/{id}/segments", subscriber).then().statusCode(200).body("segments", empty());
        for (String channel : List.of("features-stream", "scores-stream", "erasure-stream")) {
            assertEquals(0.0, metric("cohort_dead_letters_total{channel=\"" + channel + "\"}"), channel);
        }
    }

    @Test
    void aTopPercentCutoffIsComputedFromTheStoresByTheSweepAndLiveScoresMeetIt() {
        await().atMost(WAIT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        int marker = uniqueNumber();
        String score = "clv.expected_days_to_next_order"; // held by no other test's views
        String segment = create("{\"name\":\"Streams top 40% " + marker + "\",\"kind\":\"predictive\",\"score\":\""
                + score + "\",\"topPercent\":40}");
        List<String> subscribers = new java.util.ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String subscriber = "top-" + marker + "-" + i;
            subscribers.add(subscriber);
            sendScore(subscriber, 1, score, 10.0 * i);
        }
        // 5 views hold the score: rank ceil(5 × 0.4) = 2, the cutoff is the second highest, 40
        await().atMost(WAIT).until(() -> {
            given().post("/v1/sweeps").then().statusCode(200);
            Object cutoff = given().get("/v1/segments/{id}", segment).jsonPath().get("cutoff");
            return cutoff == null ? -1.0 : ((Number) cutoff).doubleValue();
        }, c -> c == 40.0);
        await().atMost(WAIT).until(() -> given().get("/v1/segments/{id}/members", segment).jsonPath()
                .getList("items.subscriberId", String.class), m -> m.equals(subscribers.subList(3, 5)));
        assertEquals(List.of(MembershipChange.ENTERED), changes(membershipEvents, json, subscribers.get(4), segment));

        sendScore(subscribers.get(0), 2, score, 60.0); // jumps above the cutoff in force: enters at once
        await().atMost(WAIT).until(() -> changes(membershipEvents, json, subscribers.get(0), segment),
                c -> c.equals(List.of(MembershipChange.ENTERED)));
        assertEquals(List.of(), changes(membershipEvents, json, subscribers.get(1), segment));
    }

    @Test
    void thePlanAndSnapshotsReadTheStores() {
        await().atMost(WAIT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        int marker = uniqueNumber();
        String segment = create("{\"name\":\"Streams plan " + marker + "\",\"kind\":\"rule\",\"condition\":"
                + "{\"feature\":\"orders_90d\",\"op\":\"eq\",\"value\":" + marker + "},\"actions\":"
                + "{\"priority\":1,\"contentKey\":\"streams-" + marker + "\"}}");
        String ok = "plan-" + marker + "-a";
        String unsubscribed = "plan-" + marker + "-b";
        sendFeatures(ok, 1, Map.of("orders_90d", (double) marker, "email_consent", 1.0));
        sendFeatures(unsubscribed, 1, Map.of("orders_90d", (double) marker, "unsubscribed", 1.0));
        await().atMost(WAIT).until(() -> given().get("/v1/segments/{id}/size", segment).jsonPath().getInt("size") == 2);

        given().get("/v1/subscribers/{id}/plan", ok).then().statusCode(200).body("send", equalTo(true))
                .body("segmentId", equalTo(segment)).body("contentKey", equalTo("streams-" + marker));
        given().get("/v1/subscribers/{id}/plan", unsubscribed).then().statusCode(200).body("send", equalTo(false))
                .body("suppressed", equalTo(true));
        given().get("/v1/segments/{id}/members", segment).then().statusCode(200)
                .body("items[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("suppressed")));

        String snapshot = given().contentType(io.restassured.http.ContentType.JSON).body("{\"label\":\"frozen\"}")
                .post("/v1/segments/{id}/snapshots", segment).then().statusCode(201).body("size", equalTo(2))
                .extract().jsonPath().getString("id");
        given().get("/v1/segments/{id}/snapshots/{sid}", segment, snapshot).then().statusCode(200)
                .body("items.subscriberId", equalTo(List.of(ok, unsubscribed)))
                .body("items.suppressed", equalTo(List.of(false, true)))
                .body("items.holdout", equalTo(List.of(false, false)));
    }

    private static void sendScore(String subscriber, long featureVersion, String score, double value) {
        TopicRecords.send(bootstrap(), Topics.SCORES, subscriber, "{\"schemaVersion\":1,\"subscriberId\":\""
                + subscriber + "\",\"featureVersion\":" + featureVersion + ",\"scoredAt\":\""
                + SegmentFixtures.T0.plusSeconds(featureVersion) + "\",\"scores\":{\"" + score + "\":" + value
                + "},\"modelVersions\":{}}");
    }

    /** The outbox relay, read model and its listener are idle under the streams engine. */
    @Test
    void thePostgresPathsMachineryIsIdle() {
        assertEquals(0, jdbc.query("select count(*) from membership_outbox", st -> {
        }, row -> row.getInt(1)).get(0));
        assertEquals(false, Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .anyMatch(n -> n.equals("segment-read-model") || n.equals("segment-membership-changes")),
                "no read-model threads");
    }

    private long outboxRows() {
        return jdbc.query("select count(*) from membership_outbox", st -> {
        }, row -> row.getLong(1)).get(0);
    }

    /** A value of /q/metrics by its exact series name and labels; 0 when absent. */
    private static double metric(String series) {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .findFirst().orElse(-1.0);
    }

    public static class StreamsEngine implements QuarkusTestProfile {

        private static final int PORT = freePort();
        private static final String RUN = UUID.randomUUID().toString();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "cohort.segment.engine", "streams",
                    "mp.messaging.incoming.features-in.enabled", "false",
                    "mp.messaging.incoming.scores-in.enabled", "false",
                    "quarkus.kafka-streams.application-id", "segment-service-test-" + RUN,
                    "kafka-streams.state.dir", "target/kafka-streams/" + RUN,
                    "kafka-streams.commit.interval.ms", "100",
                    "quarkus.http.test-port", String.valueOf(PORT),
                    "quarkus.kafka-streams.application-server", "localhost:" + PORT);
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
