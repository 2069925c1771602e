package io.cohort.segment.api;

import static io.cohort.segment.api.SegmentFixtures.T0;
import static io.cohort.segment.api.SegmentFixtures.clusterBody;
import static io.cohort.segment.api.SegmentFixtures.create;
import static io.cohort.segment.api.SegmentFixtures.featuresJson;
import static io.cohort.segment.api.SegmentFixtures.ruleBody;
import static io.cohort.segment.api.SegmentFixtures.sendFeatures;
import static io.cohort.segment.api.SegmentFixtures.sendScores;
import static io.cohort.segment.api.SegmentFixtures.uniqueNumber;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.MembershipChange;
import io.cohort.contracts.SegmentMembershipEvent;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class SegmentServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final MembershipChange IN = MembershipChange.ENTERED;
    private static final MembershipChange OUT = MembershipChange.EXITED;

    private static String bootstrap;
    private static TopicRecords membershipEvents;

    @Inject
    ObjectMapper json;

    @BeforeAll
    static void readMembershipEvents() {
        bootstrap = DevStack.shared().kafkaBootstrapServers();
        membershipEvents = new TopicRecords(bootstrap, Topics.SEGMENT_MEMBERSHIP);
    }

    @AfterAll
    static void close() {
        membershipEvents.close();
    }

    @Test
    void aRuleSegmentFollowsFeatureVectorsWithOneEventPerRealTransition() {
        int marker = uniqueNumber();
        String segmentId = create(ruleBody("Openers " + UUID.randomUUID(), 1, marker, null));
        String subscriber = "sub-" + UUID.randomUUID();

        sendFeatures(subscriber, 1, Map.of("emails_opened_30d", 2.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> changes(subscriber, segmentId), c -> !c.isEmpty());
        SegmentMembershipEvent entered = events(subscriber, segmentId).get(0);
        assertEquals(IN, entered.change());
        assertEquals(1, entered.schemaVersion());
        assertEquals(1, entered.segmentVersion());
        assertEquals(false, entered.holdout());
        assertTrue(entered.reason().contains("emails_opened_30d gte 1 passed"), entered.reason());
        given().get("/v1/subscribers/{id}/segments", subscriber).then().statusCode(200)
                .body("subscriberId", equalTo(subscriber))
                .body("segments.segmentId", hasItem(segmentId))
                .body("segments.find { it.segmentId == '" + segmentId + "' }.kind", equalTo("rule"));

        // the same record again, then one that stops matching: exactly one exited, nothing for the repeat
        sendFeatures(subscriber, 1, Map.of("emails_opened_30d", 2.0, "orders_90d", (double) marker));
        sendFeatures(subscriber, 2, Map.of("emails_opened_30d", 0.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> changes(subscriber, segmentId), c -> c.contains(OUT));
        assertEquals(List.of(IN, OUT), changes(subscriber, segmentId));
        assertTrue(events(subscriber, segmentId).get(1).reason().contains("emails_opened_30d gte 1 failed"));
        given().get("/v1/subscribers/{id}/segments", subscriber).then().statusCode(200)
                .body("segments.segmentId", not(hasItem(segmentId)));

        // an older vector arriving late changes nothing; the next newer one matches again
        sendFeatures(subscriber, 1, Map.of("emails_opened_30d", 2.0, "orders_90d", (double) marker));
        sendFeatures(subscriber, 3, Map.of("emails_opened_30d", 5.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> changes(subscriber, segmentId),
                c -> c.stream().filter(IN::equals).count() == 2);
        assertEquals(List.of(IN, OUT, IN), changes(subscriber, segmentId));
    }

    @Test
    void clusterSegmentsAreBackfilledOnCreateAndPagedInSubscriberOrder() {
        int cluster = uniqueNumber();
        String prefix = "c-" + UUID.randomUUID() + "-";
        List<String> subscribers = IntStream.range(0, 7).mapToObj(i -> prefix + i).toList();

        String liveId = create(clusterBody("Live cluster " + UUID.randomUUID(), cluster, null));
        subscribers.forEach(s -> sendScores(s, 1, T0, cluster, 1));
        await().atMost(WAIT).until(() -> allMembers(liveId, 1000).size() == subscribers.size());

        // created after the views exist: its membership is computed before the 201 returns
        String backfilledId = create(clusterBody("Backfilled cluster " + UUID.randomUUID(), cluster, null));
        List<List<String>> pages = memberPages(backfilledId, 3);
        assertEquals(List.of(3, 3, 1), pages.stream().map(List::size).toList());
        assertEquals(subscribers, pages.stream().flatMap(List::stream).toList(), "every member once, in id order");
        given().get("/v1/segments/{id}/members", backfilledId).then().statusCode(200)
                .body("segmentId", equalTo(backfilledId))
                .body("items.size()", equalTo(7))
                .body("items[0].subscriberId", equalTo(subscribers.get(0)))
                .body("items[0].enteredAt", containsString("T"))
                .body("nextCursor", nullValue());

        String first = subscribers.get(0);
        given().get("/v1/subscribers/{id}/segments", first).then().statusCode(200)
                .body("segments.segmentId", hasItems(liveId, backfilledId))
                .body("segments.kind", hasItem("cluster"));
        await().atMost(WAIT).until(() -> changes(first, backfilledId), c -> !c.isEmpty());
        assertEquals("cluster " + cluster + " 'Cluster " + cluster + "'", events(first, backfilledId).get(0).reason());

        // moving to another cluster exits both segments, once each
        subscribers.forEach(s -> sendScores(s, 2, T0, cluster + 1, 1));
        for (String subscriber : subscribers) {
            await().atMost(WAIT).until(() -> changes(subscriber, backfilledId), c -> c.contains(OUT));
            assertEquals(List.of(IN, OUT), changes(subscriber, backfilledId), subscriber);
            await().atMost(WAIT).until(() -> changes(subscriber, liveId), c -> c.contains(OUT));
            assertEquals(List.of(IN, OUT), changes(subscriber, liveId), subscriber);
        }
        assertEquals(List.of(), allMembers(backfilledId, 1000));

        // older scores are ignored; a newer clustering model version re-assigns the same vector
        sendScores(first, 1, T0.plusSeconds(3600), cluster, 1);
        sendScores(first, 2, T0, cluster, 2);
        await().atMost(WAIT).until(() -> changes(first, backfilledId),
                c -> c.stream().filter(IN::equals).count() == 2);
        assertEquals(List.of(IN, OUT, IN), changes(first, backfilledId));
    }

    @Test
    void aBackfillRacingLiveUpdatesStillGivesOneEventPerTransition() throws Exception {
        int cluster = uniqueNumber();
        String prefix = "race-" + UUID.randomUUID() + "-";
        List<String> subscribers = IntStream.range(0, 30).mapToObj(i -> prefix + String.format("%02d", i)).toList();

        // views arrive while the segment is being created and backfilled
        CompletableFuture<Void> feeding = CompletableFuture.runAsync(
                () -> subscribers.forEach(s -> sendScores(s, 1, T0, cluster, 1)));
        String segmentId = create(clusterBody("Race " + UUID.randomUUID(), cluster, null));
        feeding.get(60, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> allMembers(segmentId, 1000).equals(subscribers));

        subscribers.forEach(s -> sendScores(s, 2, T0, cluster + 1, 1));
        for (String subscriber : subscribers) {
            await().atMost(WAIT).until(() -> changes(subscriber, segmentId), c -> c.contains(OUT));
            assertEquals(List.of(IN, OUT), changes(subscriber, segmentId), subscriber);
        }
    }

    @Test
    void aTombstoneErasesTheSubscriberWithExitedEvents() {
        int marker = uniqueNumber();
        String segmentId = create(ruleBody("Erasable " + UUID.randomUUID(), 1, marker, null));
        String subscriber = "erase-" + UUID.randomUUID();
        sendFeatures(subscriber, 1, Map.of("emails_opened_30d", 1.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> changes(subscriber, segmentId), c -> c.contains(IN));

        TopicRecords.send(bootstrap, Topics.FEATURES, subscriber, null);
        await().atMost(WAIT).until(() -> changes(subscriber, segmentId), c -> c.contains(OUT));
        assertEquals("subscriber erased", events(subscriber, segmentId).get(1).reason());
        given().get("/v1/subscribers/{id}/segments", subscriber).then().statusCode(200)
                .body("segments.size()", equalTo(0));

        // a second tombstone has nothing left to erase; a fresh vector after it starts from scratch
        TopicRecords.send(bootstrap, Topics.SCORES, subscriber, null);
        sendFeatures(subscriber, 1, Map.of("emails_opened_30d", 1.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> changes(subscriber, segmentId),
                c -> c.stream().filter(IN::equals).count() == 2);
        assertEquals(List.of(IN, OUT, IN), changes(subscriber, segmentId));
    }

    @Test
    void unreadableRecordsAreDeadLetteredWithoutStoppingTheConsumer() {
        int marker = uniqueNumber();
        String segmentId = create(ruleBody("After poison " + UUID.randomUUID(), 1, marker, null));
        String subscriber = "poison-" + UUID.randomUUID();
        TopicRecords.send(bootstrap, Topics.FEATURES, subscriber, "{not json");
        TopicRecords.send(bootstrap, Topics.FEATURES, subscriber, featuresJson("someone-else", 9,
                Map.of("emails_opened_30d", 1.0, "orders_90d", (double) marker)));
        sendFeatures(subscriber, 1, Map.of("emails_opened_30d", 1.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> changes(subscriber, segmentId), c -> c.contains(IN));
        given().get("/v1/subscribers/{id}/segments", "someone-else").then().statusCode(200)
                .body("segments.segmentId", not(hasItem(segmentId)));
    }

    @Test
    void segmentsCanBeCreatedListedAndFetched() {
        String name = "Openers " + UUID.randomUUID();
        String body = "{\"name\":\"" + name + "\",\"kind\":\"rule\",\"condition\":{\"all\":["
                + "{\"feature\":\"emails_opened_30d\",\"op\":\"gte\",\"value\":1},"
                + "{\"not\":{\"feature\":\"days_since_last_open\",\"op\":\"exists\"}}]}}";
        Response created = given().contentType(ContentType.JSON).body(body).post("/v1/segments");
        created.then().statusCode(201).contentType(ContentType.JSON)
                .body("name", equalTo(name))
                .body("kind", equalTo("rule"))
                .body("version", equalTo(1))
                .body("condition.all[0].value", equalTo(1))
                .body("condition.all[1].not.op", equalTo("exists"))
                .body("clusterId", nullValue())
                .body("createdAt", containsString("T"));
        String id = created.jsonPath().getString("id");
        assertEquals(id, UUID.fromString(id).toString());
        created.then().header("Location", endsWith("/v1/segments/" + id));

        Map<String, Object> fetched = given().get("/v1/segments/{id}", id).then().statusCode(200)
                .extract().jsonPath().getMap("");
        Map<String, Object> createdBody = new java.util.HashMap<>(created.jsonPath().getMap(""));
        createdBody.remove("warnings"); // present on create only, when more than 20 segments are active
        assertEquals(createdBody, fetched);
        given().get("/v1/segments").then().statusCode(200)
                .body("items.find { it.id == '" + id + "' }.name", equalTo(name));

        String clusterName = "Cluster " + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + clusterName + "\",\"kind\":\"cluster\",\"clusterId\":2}")
                .post("/v1/segments").then().statusCode(201)
                .body("clusterId", equalTo(2)).body("kind", equalTo("cluster")).body("condition", nullValue());
    }

    @Test
    void invalidDefinitionsAreRefusedWithEveryPointerAndNothingIsStored() {
        String name = "Broken " + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"kind\":\"rule\",\"condition\":{\"all\":["
                        + "{\"feature\":\"x\",\"op\":\"gte\",\"value\":1},"
                        + "{\"feature\":\"emails_opened_30d\",\"op\":\"greater\",\"value\":1},"
                        + "{\"feature\":\"orders_90d\",\"op\":\"between\",\"value\":[3]}]}}")
                .post("/v1/segments")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.pointer", equalTo(List.of("/condition/all/0/feature", "/condition/all/1/op",
                        "/condition/all/2/value")))
                .body("errors[0].message", containsString("unknown feature 'x'; known: emails_delivered_30d"))
                .body("errors[1].message", containsString("must be one of eq, ne, gt, gte, lt, lte, in, between"));
        given().get("/v1/segments").then().statusCode(200).body("items.name", not(hasItem(name)));

        given().contentType(ContentType.JSON).body("{\"kind\":\"cluster\"}").post("/v1/segments")
                .then().statusCode(400).body("errors.pointer", equalTo(List.of("/name", "/clusterId")));
        given().contentType(ContentType.JSON).body("{\"name\":\"n\",\"kind\":\"audience\"}").post("/v1/segments")
                .then().statusCode(400).body("errors.pointer", equalTo(List.of("/kind")));
        given().contentType(ContentType.JSON).body("{\"name\":\"n\",\"kind\":\"lookalike\"}").post("/v1/segments")
                .then().statusCode(400).body("errors.pointer", equalTo(List.of("/seedSegmentId", "/targetSize")));
        given().contentType(ContentType.JSON).body("{\"name\":").post("/v1/segments")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].message", equalTo("is not well-formed JSON"));
        given().contentType(ContentType.JSON).body("[1]").post("/v1/segments")
                .then().statusCode(400).body("errors[0].pointer", equalTo("/"));
    }

    @Test
    void unknownSegmentsAndBadPagingAreProblems() {
        given().get("/v1/segments/{id}", UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
        given().get("/v1/segments/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
        given().get("/v1/segments/{id}/members", UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");

        String id = create(clusterBody("Paging " + UUID.randomUUID(), uniqueNumber(), null));
        for (String limit : List.of("0", "1001", "ten")) {
            given().queryParam("limit", limit).get("/v1/segments/{id}/members", id).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].pointer", equalTo("?limit"));
        }
        given().queryParam("cursor", "bogus").get("/v1/segments/{id}/members", id).then().statusCode(400)
                .body("errors[0].pointer", equalTo("?cursor"));
        given().get("/v1/subscribers/{id}/segments", "nobody-" + UUID.randomUUID()).then().statusCode(200)
                .body("segments.size()", equalTo(0));
    }

    @Test
    void healthMetricsAndOpenApiAreServed() {
        int marker = uniqueNumber();
        String segmentId = create(ruleBody("Metrics " + UUID.randomUUID(), 1, marker, null));
        String subscriber = "metrics-" + UUID.randomUUID();
        sendFeatures(subscriber, 1, Map.of("emails_opened_30d", 1.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> changes(subscriber, segmentId), c -> c.contains(IN));

        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItems("Database connections health check"));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("cohort_segment_membership_transitions_total{change=\"entered\""), metrics);
        assertTrue(metrics.contains("cohort_segment_outbox_published_total"), metrics);
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/segments/{id}/members"));
    }

    // --- helpers -----------------------------------------------------------------------------

    private List<SegmentMembershipEvent> events(String subscriber, String segmentId) {
        return SegmentFixtures.events(membershipEvents, json, subscriber, segmentId);
    }

    private List<MembershipChange> changes(String subscriber, String segmentId) {
        return SegmentFixtures.changes(membershipEvents, json, subscriber, segmentId);
    }

    private static List<List<String>> memberPages(String segmentId, int limit) {
        List<List<String>> pages = new ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification request = given().queryParam("limit", limit);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/segments/{id}/members", segmentId).then().statusCode(200)
                    .extract().jsonPath();
            pages.add(page.getList("items.subscriberId", String.class));
            cursor = page.getString("nextCursor");
        } while (cursor != null && pages.size() < 100);
        return pages;
    }

    private static List<String> allMembers(String segmentId, int limit) {
        return memberPages(segmentId, limit).stream().flatMap(List::stream).toList();
    }
}
