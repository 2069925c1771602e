package io.cohort.segment.api;

import static io.cohort.segment.api.SegmentFixtures.create;
import static io.cohort.segment.api.SegmentFixtures.ruleBody;
import static io.cohort.segment.api.SegmentFixtures.sendFeatures;
import static io.cohort.segment.api.SegmentFixtures.uniqueNumber;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.MembershipChange;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lookalike segments against a stand-in model-service, and asynchronous backfills. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
@QuarkusTestResource(FakeModelService.class)
class LookalikeAndAsyncBackfillTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static TopicRecords membershipEvents;

    @Inject
    ObjectMapper json;

    @Inject
    io.cohort.segment.persistence.MembershipStore store;

    @ConfigProperty(name = "cohort.segment.model-service.url")
    String modelService;

    @BeforeAll
    static void readMembershipEvents() {
        membershipEvents = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.SEGMENT_MEMBERSHIP);
    }

    @AfterAll
    static void close() {
        membershipEvents.close();
    }

    @AfterEach
    void modelServiceUp() {
        given().body("false").put(modelService + "/fake/down").then().statusCode(204);
    }

    @Test
    void aLookalikeSegmentHoldsModelServicesItemsWithSimilarityAndFollowsTheSweep() {
        int marker = uniqueNumber();
        String prefix = "look-" + marker + "-";
        List<String> subs = List.of(prefix + "a", prefix + "b", prefix + "c", prefix + "d");
        for (int i = 0; i < subs.size(); i++) {
            sendFeatures(subs.get(i), 1, Map.of("emails_opened_30d", (double) i, "orders_90d", (double) marker));
        }
        awaitViews(marker, subs.size());
        String seed = create(ruleBody("Seed " + marker, 3, marker, null));
        answer(seed, 200, List.of(Map.of("subscriberId", subs.get(0), "similarity", 0.91),
                Map.of("subscriberId", subs.get(1), "similarity", 0.5),
                Map.of("subscriberId", "no-view-" + marker, "similarity", 0.4)));

        String lookalike = given().contentType(ContentType.JSON).body(lookalikeBody("Like " + marker, seed, 3, null))
                .post("/v1/segments").then().statusCode(201)
                .body("kind", equalTo("lookalike")).body("seedSegmentId", equalTo(seed))
                .body("targetSize", equalTo(3)).body("version", equalTo(1))
                .extract().jsonPath().getString("id");
        assertEquals(List.of(subs.get(0), subs.get(1)), members(lookalike));
        await().atMost(WAIT).until(() -> changes(subs.get(0), lookalike), c -> c.equals(List.of(MembershipChange.ENTERED)));

        given().get("/v1/segments/{id}/members/{sid}", lookalike, subs.get(0)).then().statusCode(200)
                .body("member", equalTo(true)).body("explanation.passed", equalTo(true))
                .body("explanation.seedSegmentId", equalTo(seed)).body("explanation.targetSize", equalTo(3))
                .body("explanation.similarity", equalTo(0.91f)).body("explanation.method", equalTo("knn-standardised"))
                .body("explanation.evaluation.recall", equalTo(0.6f))
                .body("explanation.evaluation.randomRecall", equalTo(0.1f));
        given().get("/v1/segments/{id}/members/{sid}", lookalike, subs.get(2)).then().statusCode(200)
                .body("member", equalTo(false)).body("explanation.passed", equalTo(false))
                .body("explanation.similarity", nullValue());
        given().queryParam("explain", "true").get("/v1/subscribers/{id}/segments", subs.get(1)).then()
                .statusCode(200).body("segments.find { it.segmentId == '" + lookalike + "' }.explanation.similarity",
                        equalTo(0.5f));

        // the optional condition filters the items
        String conditioned = given().contentType(ContentType.JSON)
                .body(lookalikeBody("Like opened " + marker, seed, 3,
                        "{\"feature\":\"emails_opened_30d\",\"op\":\"gte\",\"value\":1}"))
                .post("/v1/segments").then().statusCode(201).extract().jsonPath().getString("id");
        assertEquals(List.of(subs.get(1)), members(conditioned));

        // the sweep asks again: b stays, a leaves, c joins
        answer(seed, 200, List.of(Map.of("subscriberId", subs.get(1), "similarity", 0.8),
                Map.of("subscriberId", subs.get(2), "similarity", 0.7)));
        given().post("/v1/sweeps").then().statusCode(200).body("status", equalTo("completed"));
        assertEquals(List.of(subs.get(1), subs.get(2)), members(lookalike));
        await().atMost(WAIT).until(() -> changes(subs.get(0), lookalike),
                c -> c.equals(List.of(MembershipChange.ENTERED, MembershipChange.EXITED)));
        given().get("/v1/segments/{id}/members/{sid}", lookalike, subs.get(2)).then()
                .body("explanation.similarity", equalTo(0.7f));

        // model-service down: the sweep keeps the last membership, a create answers 503 and stores nothing
        given().body("true").put(modelService + "/fake/down").then().statusCode(204);
        given().post("/v1/sweeps").then().statusCode(200).body("status", equalTo("completed"));
        assertEquals(List.of(subs.get(1), subs.get(2)), members(lookalike));
        String unstored = "Unstored " + marker;
        given().contentType(ContentType.JSON).body(lookalikeBody(unstored, seed, 3, null)).post("/v1/segments")
                .then().statusCode(503).contentType("application/problem+json");
        assertFalse(given().get("/v1/segments").then().extract().jsonPath().getList("items.name", String.class)
                .contains(unstored));
    }

    @Test
    void aLookalikeSeedMustExistAndNeverLeadBackToTheSegment() {
        int marker = uniqueNumber();
        String seed = create(ruleBody("Seed " + marker, 1, marker, null));
        given().contentType(ContentType.JSON).body(lookalikeBody("x", UUID.randomUUID().toString(), 5, null))
                .post("/v1/segments").then().statusCode(400).body("errors.pointer", hasItem("/seedSegmentId"));
        given().contentType(ContentType.JSON).body(lookalikeBody("x", seed, 0, null))
                .post("/v1/segments").then().statusCode(400).body("errors.pointer", hasItem("/targetSize"));
        given().contentType(ContentType.JSON).body(lookalikeBody("x", seed, 100_001, null))
                .post("/v1/segments").then().statusCode(400).body("errors.pointer", hasItem("/targetSize"));
        // model-service refusing the seed (no feature vectors) is a 400 on the seed
        given().contentType(ContentType.JSON).body(lookalikeBody("x", seed, 5, null))
                .post("/v1/segments").then().statusCode(400).body("errors.pointer", hasItem("/seedSegmentId"));

        answer(seed, 200, List.of());
        String a = given().contentType(ContentType.JSON).body(lookalikeBody("A " + marker, seed, 5, null))
                .post("/v1/segments").then().statusCode(201).extract().jsonPath().getString("id");
        answer(a, 200, List.of());
        String b = given().contentType(ContentType.JSON).body(lookalikeBody("B " + marker, a, 5, null))
                .post("/v1/segments").then().statusCode(201).extract().jsonPath().getString("id");
        given().contentType(ContentType.JSON).body(lookalikeBody("A " + marker, a, 5, null))
                .put("/v1/segments/{id}", a).then().statusCode(400).body("errors.pointer", hasItem("/seedSegmentId"));
        answer(b, 200, List.of());
        given().contentType(ContentType.JSON).body(lookalikeBody("A " + marker, b, 5, null))
                .put("/v1/segments/{id}", a).then().statusCode(400).body("errors[0].pointer", equalTo("/seedSegmentId"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("cycle"));
        given().get("/v1/segments/{id}", a).then().body("version", equalTo(1)).body("seedSegmentId", equalTo(seed));
    }

    @Test
    void anAsynchronousBackfillAnswersAtOnceAndCompletesInPagesWithoutMissingViewChanges() {
        int marker = uniqueNumber();
        String prefix = "async-" + marker + "-";
        int count = 30;
        List<String> subs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            subs.add(prefix + String.format("%02d", i));
            sendFeatures(subs.get(i), 1, Map.of("emails_opened_30d", (double) (i % 3), "orders_90d", (double) marker));
        }
        awaitViews(marker, count);

        var created = given().contentType(ContentType.JSON).queryParam("async", "true")
                .body(ruleBody("Async " + marker, 1, marker, null)).post("/v1/segments").then().statusCode(202)
                .header("Location", notNullValue()).body("version", equalTo(1)).body("backfillJobId", notNullValue())
                .extract().jsonPath();
        String id = created.getString("id");
        String job = created.getString("backfillJobId");
        // views changing while the backfill runs: 00 starts matching, 01 stops
        sendFeatures(subs.get(0), 2, Map.of("emails_opened_30d", 5.0, "orders_90d", (double) marker));
        sendFeatures(subs.get(1), 2, Map.of("emails_opened_30d", 0.0, "orders_90d", (double) marker));

        awaitJob(id, job, 1);
        TreeSet<String> expected = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            if (i == 0 || (i != 1 && i % 3 >= 1)) {
                expected.add(subs.get(i));
            }
        }
        await().atMost(WAIT).until(() -> members(id), m -> m.equals(new ArrayList<>(expected)));
        given().get("/v1/jobs/{id}", job).then().statusCode(200).body("kind", equalTo("backfill"))
                .body("segmentId", equalTo(id)).body("status", equalTo("completed"));
        await().atMost(WAIT).until(() -> changes(subs.get(2), id), c -> c.equals(List.of(MembershipChange.ENTERED)));

        // an asynchronous edit: opened ≥ 2 only
        String edited = given().contentType(ContentType.JSON).queryParam("async", "true")
                .body(ruleBody("Async " + marker, 2, marker, null)).put("/v1/segments/{id}", id).then()
                .statusCode(202).body("version", equalTo(2)).body("backfillJobId", notNullValue())
                .extract().jsonPath().getString("backfillJobId");
        awaitJob(id, edited, 2);
        expected.removeIf(s -> !s.equals(subs.get(0)) && Integer.parseInt(s.substring(s.length() - 2)) % 3 != 2);
        assertEquals(new ArrayList<>(expected), members(id));
        await().atMost(WAIT).until(() -> changes(subs.get(4), id),
                c -> c.equals(List.of(MembershipChange.ENTERED, MembershipChange.EXITED)));

        given().contentType(ContentType.JSON).queryParam("async", "maybe")
                .body(ruleBody("Async " + marker, 2, marker, null)).post("/v1/segments").then().statusCode(400)
                .body("errors.pointer", hasItem("?async"));
    }

    @Test
    void anAsynchronousBackfillOvertakenByAnEditOrArchiveStopsWithoutEvaluating() {
        int marker = uniqueNumber();
        for (int i = 0; i < 8; i++) {
            sendFeatures("overtaken-" + marker + "-" + i, 1, Map.of("emails_opened_30d", 0.0, "orders_90d", (double) marker));
        }
        awaitViews(marker, 8);
        var parser = DefinitionInput.PARSER;
        var first = parser.parse(Map.of("name", "Overtaken " + marker, "kind", "rule", "condition",
                Map.of("feature", "orders_90d", "op", "eq", "value", marker))).definition();
        // the job is recorded but not started, so the edit below surely comes first
        var started = store.createAsync(first, null);
        var page = store.backfillPage(started.job(), started.segment().id(), 1, "", 7, false);
        assertFalse(page.cancelled());
        assertEquals(7, page.processed());
        store.update(started.segment().id(), first.withHoldoutPercent(10));
        page = store.backfillPage(started.job(), started.segment().id(), 1, page.last(), 7, false);
        assertTrue(page.cancelled());
        assertEquals(0, page.processed());
        given().get("/v1/jobs/{id}", started.job()).then().statusCode(200).body("processed", equalTo(7))
                .body("segmentVersion", equalTo(1));

        var archived = store.createAsync(first, null);
        store.archive(archived.segment().id());
        assertTrue(store.backfillPage(archived.job(), archived.segment().id(), 1, "", 7, false).cancelled());
    }

    private static void awaitJob(String segment, String job, int version) {
        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath backfill = given().get("/v1/segments/{id}/backfill", segment).then().statusCode(200)
                    .extract().jsonPath();
            assertEquals(job, backfill.getString("id"));
            assertEquals(version, backfill.getInt("segmentVersion"));
            assertEquals("completed", backfill.getString("status"));
            assertTrue(backfill.getLong("processed") >= backfill.getLong("total"), backfill.prettify());
            assertTrue(backfill.getString("finishedAt") != null);
        });
    }

    /** Waits until the service holds a view for each of the marker's subscribers. */
    private static void awaitViews(int marker, int count) {
        await().atMost(WAIT).until(() -> given().contentType(ContentType.JSON)
                .body(ruleBody("Views " + marker, 0, marker, null)).post("/v1/segments:preview").then()
                .statusCode(200).extract().jsonPath().getInt("size"), size -> size == count);
    }

    private void answer(String seed, int status, List<Map<String, Object>> items) {
        Map<String, Object> body = Map.of("method", "knn-standardised", "seeds", 3, "candidates", 100, "k", 5,
                "features", List.of("emails_opened_30d"), "items", items,
                "evaluation", Map.of("heldOut", 1, "targetSize", 3, "recall", 0.6, "randomRecall", 0.1));
        try {
            given().body(json.writeValueAsString(body)).put(modelService + "/fake/answers/" + seed + "?status=" + status)
                    .then().statusCode(204);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String lookalikeBody(String name, String seed, int targetSize, String condition) {
        return "{\"name\":\"" + name + "\",\"kind\":\"lookalike\",\"seedSegmentId\":\"" + seed + "\",\"targetSize\":"
                + targetSize + (condition == null ? "" : ",\"condition\":" + condition) + "}";
    }

    private static List<String> members(String segment) {
        return given().queryParam("limit", 1000).get("/v1/segments/{id}/members", segment).then().statusCode(200)
                .extract().jsonPath().getList("items.subscriberId", String.class);
    }

    private List<MembershipChange> changes(String subscriber, String segment) {
        return SegmentFixtures.changes(membershipEvents, json, subscriber, segment);
    }
}
