package io.cohort.segment.api;

import static io.cohort.segment.api.SegmentFixtures.T0;
import static io.cohort.segment.api.SegmentFixtures.bootstrap;
import static io.cohort.segment.api.SegmentFixtures.create;
import static io.cohort.segment.api.SegmentFixtures.ruleBody;
import static io.cohort.segment.api.SegmentFixtures.uniqueNumber;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.segment.domain.SubscriberView;
import io.cohort.segment.persistence.Jdbc;
import io.cohort.segment.persistence.MembershipStore;
import io.cohort.segment.persistence.SubscriberViewRepository;
import io.cohort.segment.streaming.StreamsLookup;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * What the streams engine answers where the PostgreSQL path used to differ (docs/SEGMENTS.md,
 * "Streams engine"): the preview evaluates the views in the stores, the synchronous create and edit
 * answer once the stores hold the membership and the job counts its transitions, and the erasure
 * request forgets recorded sends and snapshot rows, as a tombstone does on the PostgreSQL path.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
@TestProfile(StreamsEngineTest.StreamsEngine.class)
class StreamsParityTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Inject
    io.cohort.segment.messaging.ServiceTokens serviceTokens;
    @Inject
    ObjectMapper json;
    @Inject
    KafkaStreams streams;
    @Inject
    StreamsLookup lookup;
    @Inject
    MembershipStore store;
    @Inject
    SubscriberViewRepository postgresViews;
    @Inject
    Jdbc jdbc;
    @Inject
    io.cohort.segment.application.StreamsBackfills backfills;
    @Inject
    io.cohort.segment.application.StreamsCutoffs cutoffs;
    @Inject
    io.cohort.segment.streaming.EngineConfig config;

    @Test
    void thePreviewFromTheStoresAnswersAsThePostgresPathOnTheSameViews() throws Exception {
        await().atMost(WAIT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        int marker = uniqueNumber();
        List<String> subscribers = new ArrayList<>();
        String[] groups = {"Champions", "Lost", null};
        for (int i = 0; i < 48; i++) {
            String subscriber = String.format("preview-%d-%02d", marker, 47 - i);
            subscribers.add(subscriber);
            sendFeatures(subscriber, Map.of("emails_opened_30d", (double) (i % 4), "orders_90d", (double) marker),
                    groups[i % 3]);
        }
        List<SubscriberView> stored = await().atMost(WAIT).until(() -> storedViews(subscribers),
                views -> views.size() == subscribers.size());
        String definition = ruleBody("Preview " + marker, 2, marker, null);

        JsonPath fromStores = given().contentType(ContentType.JSON).body(definition).post("/v1/segments:preview")
                .then().statusCode(200).extract().jsonPath();

        // the same views through the PostgreSQL path's own preview
        QuarkusTransaction.requiringNew().run(() -> stored.forEach(view -> {
            postgresViews.lockOrCreate(view.subscriberId(), Instant.now());
            postgresViews.saveFeatures(view, Instant.now());
        }));
        try {
            MembershipStore.Preview fromPostgres = store.preview(DefinitionInput.definition(json.readValue(definition,
                    Object.class), "invalid"), SegmentPreviewResource.SAMPLE_SIZE, null);
            assertEquals(24, fromPostgres.size());
            assertEquals(fromPostgres.size(), fromStores.getLong("size"));
            assertEquals(fromPostgres.sample(), fromStores.getList("sample", String.class));
            assertEquals(20, fromPostgres.sample().size(), "the first 20 in subscriber order");
            assertEquals(fromPostgres.byRfmGroup(), fromStores.getMap("byRfmGroup", String.class, Long.class));
            assertTrue(fromStores.getLong("evaluatedSubscribers") >= subscribers.size(), "every view in the stores");
        } finally {
            QuarkusTransaction.requiringNew().run(() -> subscribers.forEach(postgresViews::delete));
        }
    }

    /**
     * Two HTTP servers: a preview merged here from a simulated instance's share (in memory) and the
     * share of this running service, asked over HTTP with the forwarded body, as another instance asks it.
     */
    @Test
    void aForwardedPreviewIsAnsweredFromTheStoresOfTheInstanceAskedAndAddedUp() throws Exception {
        await().atMost(WAIT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        int marker = uniqueNumber();
        List<String> served = List.of("fwd-" + marker + "-b", "fwd-" + marker + "-d", "fwd-" + marker + "-e");
        served.forEach(id -> sendFeatures(id, Map.of("emails_opened_30d", 3.0, "orders_90d", (double) marker),
                "Lost"));
        await().atMost(WAIT).until(() -> storedViews(served).size() == served.size());
        List<SubscriberView> simulated = List.of(
                view("fwd-" + marker + "-a", 3, marker), view("fwd-" + marker + "-c", 3, marker),
                view("fwd-" + marker + "-f", 1, marker));
        StreamsLookup thisServiceAsOther = new StreamsLookup(null, config, java.util.Optional.empty()) {
            @Override
            public List<Remote> others() {
                return List.of(new Remote("localhost", io.restassured.RestAssured.port));
            }

            @Override
            protected java.util.Optional<String> ownAuthorization() {
                // as another instance asks: with segment-service's own client-credentials token
                return java.util.Optional.of("Bearer " + serviceTokens.accessToken());
            }
        };
        StreamsPreviews previews = new StreamsPreviews(new io.cohort.segment.streaming.StreamsViews(null) {
            @Override
            public void forEachLocal(java.util.function.Consumer<SubscriberView> sink) {
                simulated.forEach(sink);
            }
        }, thisServiceAsOther, cutoffs, config, json, java.time.Clock.systemUTC());
        String body = ruleBody("Forwarded " + marker, 2, marker, null);

        Responses.Preview merged = previews.everywhere(json.readValue(body, Object.class),
                DefinitionInput.definition(json.readValue(body, Object.class), "invalid"), null);

        assertEquals(5, merged.size());
        assertEquals(List.of("a", "b", "c", "d", "e"), merged.sample().stream()
                .map(id -> id.substring(id.length() - 1)).toList());
        assertEquals(Map.of("Lost", 3L, "none", 2L), merged.byRfmGroup());
        assertTrue(merged.evaluatedSubscribers() >= 6);
    }

    private static SubscriberView view(String id, double opens, int marker) {
        return SubscriberView.empty(id).withFeatures(1, Map.of("emails_opened_30d", opens, "orders_90d",
                (double) marker), Map.of(), T0);
    }

    @Test
    void aSynchronousCreateAndEditAnswerOnceTheStoresHoldTheMembershipAndTheJobCountsTransitions() {
        await().atMost(WAIT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        int marker = uniqueNumber();
        List<String> subscribers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String subscriber = "sync-" + marker + "-" + i;
            subscribers.add(subscriber);
            sendFeatures(subscriber, Map.of("emails_opened_30d", i == 3 ? 1.0 : 3.0, "orders_90d", (double) marker),
                    null);
        }
        await().atMost(WAIT).until(() -> storedViews(subscribers).size() == subscribers.size());

        JsonPath created = given().contentType(ContentType.JSON).body(ruleBody("Sync " + marker, 2, marker, null))
                .post("/v1/segments").then().statusCode(201).extract().jsonPath();
        String segment = created.getString("id");
        // no waiting from here on: the answer came once the membership was computed
        given().get("/v1/segments/{id}/size", segment).then().statusCode(200).body("size", equalTo(3));
        given().get("/v1/jobs/{id}", created.getString("backfillJobId")).then().statusCode(200)
                .body("status", equalTo("completed")).body("entered", equalTo(3)).body("exited", equalTo(0));

        String edit = given().contentType(ContentType.JSON).body(ruleBody("Sync " + marker, 3, marker, null))
                .put("/v1/segments/{id}", segment).then().statusCode(200).extract().jsonPath()
                .getString("backfillJobId");
        given().get("/v1/segments/{id}/members", segment).then().statusCode(200)
                .body("items.subscriberId", equalTo(subscribers.subList(0, 3)));
        given().get("/v1/segments/{id}/backfill", segment).then().statusCode(200).body("id", equalTo(edit))
                .body("status", equalTo("completed")).body("entered", equalTo(0)).body("exited", equalTo(0));

        given().contentType(ContentType.JSON).body(ruleBody("Sync " + marker, 4, marker, null))
                .put("/v1/segments/{id}", segment).then().statusCode(200);
        given().get("/v1/segments/{id}/size", segment).then().statusCode(200).body("size", equalTo(0));
        given().get("/v1/segments/{id}/backfill", segment).then().statusCode(200)
                .body("status", equalTo("completed")).body("entered", equalTo(0)).body("exited", equalTo(3));
    }

    @Test
    void theWaitForABackfillIsBoundedAndAnsweredWithTheJobStillRunningWhenItPasses() {
        await().atMost(WAIT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        int marker = uniqueNumber();
        String job = given().contentType(ContentType.JSON).body(ruleBody("Bounded " + marker, 2, marker, null))
                .queryParam("async", "true").post("/v1/segments").then().statusCode(202).extract().jsonPath()
                .getString("backfillJobId");
        // the tasks notice new definitions within a second or two: no rescan can have ended yet
        assertTrue(backfills.awaitEnd(java.util.UUID.fromString(job), Duration.ZERO).isEmpty(),
                "past the bound while running: the API answers 202 with the job");
        assertEquals("completed", backfills.awaitEnd(java.util.UUID.fromString(job), WAIT).orElseThrow().status());
    }

    @Test
    void theErasureRequestForgetsRecordedSendsAndSnapshotRowsUnderStreams() {
        await().atMost(WAIT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        int marker = uniqueNumber();
        String subscriber = "forgotten-" + marker;
        String segment = create(ruleBody("Forgotten " + marker, 2, marker, null));
        sendFeatures(subscriber, Map.of("emails_opened_30d", 3.0, "orders_90d", (double) marker), null);
        await().atMost(WAIT).until(() -> given().get("/v1/segments/{id}/size", segment).jsonPath().getInt("size")
                == 1);
        given().contentType(ContentType.JSON).body("{\"contentKey\":\"k\"}")
                .post("/v1/subscribers/{id}/sends", subscriber).then().statusCode(201);
        given().contentType(ContentType.JSON).body("{}").post("/v1/segments/{id}/snapshots", segment).then()
                .statusCode(201).body("size", equalTo(1));
        assertEquals(1, rows("subscriber_send", subscriber));
        assertEquals(1, rows("segment_snapshot_member", subscriber));

        TopicRecords.send(bootstrap(), Topics.ERASURE, subscriber, "{\"schemaVersion\":1,\"requestId\":\"r-"
                + marker + "\",\"subscriberId\":\"" + subscriber + "\",\"requestedAt\":\"" + Instant.now() + "\"}");
        await().atMost(WAIT).until(() -> rows("subscriber_send", subscriber) == 0
                && rows("segment_snapshot_member", subscriber) == 0);
        await().atMost(WAIT).until(() -> given().get("/v1/segments/{id}/size", segment).jsonPath().getInt("size")
                == 0);
    }

    private long rows(String table, String subscriber) {
        return jdbc.query("select count(*) from " + table + " where subscriber_id = ?",
                s -> s.setString(1, subscriber), row -> row.getLong(1)).get(0);
    }

    /** The views of these subscribers the stores hold (this single instance owns every partition). */
    private List<SubscriberView> storedViews(List<String> subscribers) {
        List<SubscriberView> views = new ArrayList<>();
        for (String subscriber : subscribers) {
            if (lookup.find(subscriber, false) instanceof StreamsLookup.Local local && local.view() != null) {
                views.add(local.view());
            }
        }
        return views;
    }

    private static void sendFeatures(String subscriber, Map<String, Double> features, String rfmGroup) {
        String values = features.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(java.util.stream.Collectors.joining(","));
        TopicRecords.send(bootstrap(), Topics.FEATURES, subscriber, "{\"schemaVersion\":1,\"subscriberId\":\""
                + subscriber + "\",\"version\":1,\"computedAt\":\"" + T0 + "\",\"features\":{" + values + "}"
                + (rfmGroup == null ? "" : ",\"labels\":{\"rfm_group\":\"" + rfmGroup + "\"}") + "}");
    }
}
