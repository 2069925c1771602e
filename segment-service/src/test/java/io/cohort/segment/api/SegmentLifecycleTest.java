package io.cohort.segment.api;

import static io.cohort.segment.api.SegmentFixtures.clusterBody;
import static io.cohort.segment.api.SegmentFixtures.create;
import static io.cohort.segment.api.SegmentFixtures.ruleBody;
import static io.cohort.segment.api.SegmentFixtures.sendFeatures;
import static io.cohort.segment.api.SegmentFixtures.sendScores;
import static io.cohort.segment.api.SegmentFixtures.uniqueNumber;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.MembershipChange;
import io.cohort.contracts.SegmentMembershipEvent;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.segment.domain.Holdout;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Explanations, preview, edits with history, archiving, holdouts, CSV export and samples. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class SegmentLifecycleTest {

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
    void aMembershipAnswerExplainsEveryConditionOfTheCurrentView() {
        int marker = uniqueNumber();
        String segmentId = create(ruleBody("Explained " + UUID.randomUUID(), 1, marker, null));
        String subscriber = "explain-" + UUID.randomUUID();
        sendFeatures(subscriber, 1, Map.of("emails_opened_30d", 2.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> changes(subscriber, segmentId), c -> c.contains(IN));

        JsonPath answer = given().get("/v1/segments/{id}/members/{sid}", segmentId, subscriber).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(segmentId, answer.getString("segmentId"));
        assertEquals(subscriber, answer.getString("subscriberId"));
        assertEquals(true, answer.getBoolean("member"));
        assertEquals(false, answer.getBoolean("holdout"));
        assertTrue(answer.getString("enteredAt").contains("T"));
        assertEquals(Map.of("pointer", "/condition", "op", "all", "passed", true), Map.of(
                "pointer", answer.get("explanation.pointer"), "op", answer.get("explanation.op"),
                "passed", answer.get("explanation.passed")));
        Map<String, Object> first = answer.getMap("explanation.conditions[0]");
        assertEquals("/condition/all/0", first.get("pointer"));
        assertEquals("emails_opened_30d", first.get("feature"));
        assertEquals("gte", first.get("op"));
        assertEquals(1, first.get("threshold"));
        assertEquals(2.0f, ((Number) first.get("value")).floatValue());
        assertEquals(true, first.get("passed"));
        assertEquals(marker, answer.getInt("explanation.conditions[1].threshold"));

        // the explanation follows the current view: after a change it shows the failing condition
        sendFeatures(subscriber, 2, Map.of("emails_opened_30d", 0.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> changes(subscriber, segmentId), c -> c.contains(OUT));
        given().get("/v1/segments/{id}/members/{sid}", segmentId, subscriber).then().statusCode(200)
                .body("member", equalTo(false)).body("enteredAt", nullValue())
                .body("explanation.passed", equalTo(false))
                .body("explanation.conditions[0].value", equalTo(0.0f))
                .body("explanation.conditions[0].passed", equalTo(false))
                .body("explanation.conditions[1].passed", equalTo(true));

        // an unknown subscriber is no member; every value seen is null
        given().get("/v1/segments/{id}/members/{sid}", segmentId, "nobody-" + UUID.randomUUID()).then()
                .statusCode(200).body("member", equalTo(false)).body("holdout", equalTo(false))
                .body("enteredAt", nullValue()).body("explanation.passed", equalTo(false))
                .body("explanation.conditions[0]", hasKey("value"))
                .body("explanation.conditions[0].value", nullValue())
                .body("explanation.conditions[1].value", nullValue());
        given().get("/v1/segments/{id}/members/{sid}", UUID.randomUUID(), subscriber).then().statusCode(404)
                .contentType("application/problem+json");

        // cluster segments explain the segment's cluster and the subscriber's
        int cluster = uniqueNumber();
        String clusterSegment = create(clusterBody("Explained cluster " + UUID.randomUUID(), cluster, null));
        sendScores(subscriber, 2, cluster);
        await().atMost(WAIT).until(() -> changes(subscriber, clusterSegment), c -> c.contains(IN));
        given().get("/v1/segments/{id}/members/{sid}", clusterSegment, subscriber).then().statusCode(200)
                .body("member", equalTo(true)).body("explanation.clusterId", equalTo(cluster))
                .body("explanation.subscriberCluster", equalTo(cluster)).body("explanation.passed", equalTo(true));

        // the subscriber's segments carry explanations on request only
        given().queryParam("explain", "true").get("/v1/subscribers/{id}/segments", subscriber).then()
                .statusCode(200)
                .body("segments.find { it.segmentId == '" + clusterSegment + "' }.explanation.subscriberCluster",
                        equalTo(cluster))
                .body("segments.find { it.segmentId == '" + clusterSegment + "' }.holdout", equalTo(false));
        given().get("/v1/subscribers/{id}/segments", subscriber).then().statusCode(200)
                .body("segments[0]", not(hasKey("explanation")));
    }

    @Test
    void aPreviewCountsExactlyWhatTheSavedSegmentWillContainAndStoresNothing() {
        int marker = uniqueNumber();
        String prefix = "preview-" + UUID.randomUUID() + "-";
        List<String> matching = IntStream.range(0, 23).mapToObj(i -> prefix + String.format("%02d", i)).toList();
        matching.forEach(s -> sendFeatures(s, 1, Map.of("emails_opened_30d", 3.0, "orders_90d", (double) marker)));
        String outsider = prefix + "zz";
        sendFeatures(outsider, 1, Map.of("emails_opened_30d", 0.0, "orders_90d", (double) marker));
        // every view has arrived once a looser preview (gte 0) counts all of them
        await().atMost(WAIT).until(() -> given().contentType(ContentType.JSON).body(ruleBody("p", 0, marker, null))
                .post("/v1/segments:preview").jsonPath().getLong("size") == 24);

        String name = "Previewed " + UUID.randomUUID();
        String body = ruleBody(name, 1, marker, null);
        JsonPath preview = given().contentType(ContentType.JSON).body(body).post("/v1/segments:preview").then()
                .statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
        assertEquals(23, preview.getLong("size"));
        assertEquals(matching.subList(0, 20), preview.getList("sample", String.class));
        assertTrue(preview.getLong("evaluatedSubscribers") >= 24);
        given().get("/v1/segments").then().body("items.name", not(org.hamcrest.Matchers.hasItem(name)));

        // a percent-encoded colon reaches the same method
        given().contentType(ContentType.JSON).body(body).urlEncodingEnabled(false).post("/v1/segments%3Apreview")
                .then().statusCode(200).body("size", equalTo(23));

        String id = create(body);
        assertEquals(preview.getLong("size"), allMembers(id, null).size());

        // validation exactly as create
        String broken = "{\"name\":\"\",\"kind\":\"rule\",\"condition\":{\"all\":[{\"feature\":\"x\",\"op\":\"gte\","
                + "\"value\":1}]},\"holdoutPercent\":70}";
        List<String> createErrors = given().contentType(ContentType.JSON).body(broken).post("/v1/segments").then()
                .statusCode(400).extract().jsonPath().getList("errors.pointer", String.class);
        given().contentType(ContentType.JSON).body(broken).post("/v1/segments:preview").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.pointer", equalTo(createErrors))
                .body("errors.pointer", equalTo(List.of("/name", "/condition/all/0/feature", "/holdoutPercent")));
    }

    @Test
    void anEditBumpsTheVersionReEvaluatesOnceAndIsRecordedInTheHistory() {
        int marker = uniqueNumber();
        String name = "Editable " + UUID.randomUUID();
        String id = create(ruleBody(name, 1, marker, null));
        String low = "edit-" + UUID.randomUUID() + "-a";
        String high = "edit-" + UUID.randomUUID() + "-b";
        sendFeatures(low, 1, Map.of("emails_opened_30d", 1.0, "orders_90d", (double) marker));
        sendFeatures(high, 1, Map.of("emails_opened_30d", 5.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> allMembers(id, null).size() == 2);

        // invalid edits change nothing
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"kind\":\"rule\"}").put("/v1/segments/{id}", id)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", equalTo(List.of("/condition")));
        given().contentType(ContentType.JSON).body(ruleBody(name, 2, marker, null))
                .put("/v1/segments/{id}", UUID.randomUUID()).then().statusCode(404);

        given().contentType(ContentType.JSON).body(ruleBody(name + " v2", 2, marker, null))
                .put("/v1/segments/{id}", id).then().statusCode(200)
                .body("id", equalTo(id)).body("version", equalTo(2)).body("name", equalTo(name + " v2"))
                .body("condition.all[0].value", equalTo(2)).body("status", equalTo("active"));
        // membership was re-evaluated before the response
        assertEquals(List.of(high), allMembers(id, null));
        await().atMost(WAIT).until(() -> changes(low, id), c -> c.contains(OUT));
        SegmentMembershipEvent exited = events(low, id).get(1);
        assertEquals(2, exited.segmentVersion());
        assertEquals(name + " v2", exited.segmentName());

        // back to the first threshold: low re-enters (version 3), high never moved
        given().contentType(ContentType.JSON).body(ruleBody(name, 1, marker, null)).put("/v1/segments/{id}", id)
                .then().statusCode(200).body("version", equalTo(3));
        await().atMost(WAIT).until(() -> changes(low, id), c -> c.size() == 3);
        assertEquals(List.of(IN, OUT, IN), changes(low, id));
        assertEquals(3, events(low, id).get(2).segmentVersion());
        assertEquals(List.of(IN), changes(high, id));

        JsonPath history = given().get("/v1/segments/{id}/history", id).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(1, 2, 3), history.getList("items.version", Integer.class));
        assertEquals(List.of("created", "updated", "updated"), history.getList("items.change", String.class));
        assertEquals(name + " v2", history.getString("items[1].definition.name"));
        assertEquals(2, history.getInt("items[1].definition.condition.all[0].value"));
        assertEquals(0, history.getInt("items[0].definition.holdoutPercent"));
        assertTrue(history.getString("items[2].changedAt").contains("T"));
        given().get("/v1/segments/{id}/history", UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void archivingExitsEveryMemberOnceAndStopsEvaluation() {
        int marker = uniqueNumber();
        String id = create(ruleBody("Archivable " + UUID.randomUUID(), 1, marker, null));
        String subscriber = "archive-" + UUID.randomUUID();
        sendFeatures(subscriber, 1, Map.of("emails_opened_30d", 1.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> changes(subscriber, id), c -> c.contains(IN));

        given().delete("/v1/segments/{id}", id).then().statusCode(204);
        await().atMost(WAIT).until(() -> changes(subscriber, id), c -> c.contains(OUT));
        assertEquals("segment archived", events(subscriber, id).get(1).reason());
        given().get("/v1/segments/{id}", id).then().statusCode(200).body("status", equalTo("archived"));
        given().get("/v1/segments/{id}/members", id).then().statusCode(200).body("items.size()", equalTo(0));
        given().get("/v1/segments").then().body("items.find { it.id == '" + id + "' }.status", equalTo("archived"));
        assertEquals(List.of("created", "archived"), given().get("/v1/segments/{id}/history", id).jsonPath()
                .getList("items.change", String.class));

        // archiving again changes nothing; an archived segment cannot be edited
        given().delete("/v1/segments/{id}", id).then().statusCode(204);
        given().contentType(ContentType.JSON).body(ruleBody("again", 1, marker, null)).put("/v1/segments/{id}", id)
                .then().statusCode(409).contentType("application/problem+json");
        given().delete("/v1/segments/{id}", UUID.randomUUID()).then().statusCode(404);

        // a later change is evaluated against active segments only
        String witness = create(ruleBody("Witness " + UUID.randomUUID(), 4, marker, null));
        sendFeatures(subscriber, 2, Map.of("emails_opened_30d", 4.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> changes(subscriber, witness), c -> c.size() == 1);
        assertEquals(List.of(IN, OUT), changes(subscriber, id));
        given().get("/v1/segments/{id}/members/{sid}", id, subscriber).then().statusCode(200)
                .body("member", equalTo(false));
    }

    @Test
    void holdoutMembersAreChosenByHashMarkedAndFilterable() {
        int cluster = uniqueNumber();
        String prefix = "holdout-" + UUID.randomUUID() + "-";
        List<String> subscribers = IntStream.range(0, 60).mapToObj(i -> prefix + String.format("%02d", i)).toList();
        String id = create(clusterBody("Held out " + UUID.randomUUID(), cluster, 50));
        given().get("/v1/segments/{id}", id).then().body("holdoutPercent", equalTo(50));
        subscribers.forEach(s -> sendScores(s, 1, cluster));
        await().atMost(WAIT).until(() -> allMembers(id, null).size() == subscribers.size());

        UUID segment = UUID.fromString(id);
        List<String> expectedHoldout = subscribers.stream().filter(s -> Holdout.isHeldOut(segment, s, 50)).toList();
        assertFalse(expectedHoldout.isEmpty());
        assertTrue(expectedHoldout.size() < subscribers.size());
        assertEquals(expectedHoldout, allMembers(id, "only"));
        List<String> rest = subscribers.stream().filter(s -> !expectedHoldout.contains(s)).toList();
        assertEquals(rest, allMembers(id, "exclude"));
        assertEquals(subscribers, allMembers(id, "include"));
        given().get("/v1/segments/{id}/members", id).then()
                .body("items.find { it.subscriberId == '" + expectedHoldout.get(0) + "' }.holdout", equalTo(true))
                .body("items.find { it.subscriberId == '" + rest.get(0) + "' }.holdout", equalTo(false));
        for (String s : subscribers) {
            await().atMost(WAIT).until(() -> changes(s, id), c -> c.contains(IN));
            assertEquals(expectedHoldout.contains(s), events(s, id).get(0).holdout(), s);
        }
        given().get("/v1/segments/{id}/members/{sid}", id, expectedHoldout.get(0)).then()
                .body("member", equalTo(true)).body("holdout", equalTo(true));

        // lowering the holdout re-flags continuing members without transitions
        given().contentType(ContentType.JSON).body(clusterBody("Held out, none", cluster, 0))
                .put("/v1/segments/{id}", id).then().statusCode(200).body("holdoutPercent", equalTo(0));
        assertEquals(List.of(), allMembers(id, "only"));
        assertEquals(subscribers, allMembers(id, "exclude"));

        given().queryParam("holdout", "some").get("/v1/segments/{id}/members", id).then().statusCode(400)
                .body("errors[0].pointer", equalTo("?holdout"));
        for (String bad : List.of("50.5", "-1", "\"10\"")) {
            given().contentType(ContentType.JSON).body("{\"name\":\"h\",\"kind\":\"cluster\",\"clusterId\":1,"
                    + "\"holdoutPercent\":" + bad + "}").post("/v1/segments").then().statusCode(400)
                    .body("errors.pointer", equalTo(List.of("/holdoutPercent")));
        }
    }

    @Test
    void everyMemberCanBeExportedAsCsvAndSampledReproducibly() {
        int cluster = uniqueNumber();
        String prefix = "csv-" + UUID.randomUUID() + "-";
        List<String> subscribers = IntStream.range(0, 25).mapToObj(i -> prefix + String.format("%02d", i)).toList();
        String id = create(clusterBody("Exported " + UUID.randomUUID(), cluster, 20));
        subscribers.forEach(s -> sendScores(s, 1, cluster));
        await().atMost(WAIT).until(() -> allMembers(id, null).size() == subscribers.size());

        Response csv = given().queryParam("format", "csv").get("/v1/segments/{id}/members", id);
        csv.then().statusCode(200).contentType(containsString("text/csv"));
        List<String> lines = csv.asString().lines().toList();
        assertEquals("subscriber_id,entered_at,holdout", lines.get(0));
        assertEquals(subscribers.size() + 1, lines.size());
        JsonPath page = given().get("/v1/segments/{id}/members", id).jsonPath();
        for (int i = 0; i < subscribers.size(); i++) {
            String[] cells = lines.get(i + 1).split(",");
            assertEquals(subscribers.get(i), cells[0]);
            assertEquals(Instant.parse(page.getString("items[" + i + "].enteredAt")), Instant.parse(cells[1]));
            assertEquals(String.valueOf(Holdout.isHeldOut(UUID.fromString(id), subscribers.get(i), 20)), cells[2]);
        }
        List<String> onlyHoldout = given().queryParam("format", "csv").queryParam("holdout", "only")
                .get("/v1/segments/{id}/members", id).asString().lines().skip(1).map(l -> l.split(",")[0]).toList();
        assertEquals(allMembers(id, "only"), onlyHoldout);
        given().queryParam("format", "xml").get("/v1/segments/{id}/members", id).then().statusCode(400)
                .body("errors[0].pointer", equalTo("?format"));

        // samples: reproducible, a subset in member order, everything at 100 percent
        List<String> sample = given().queryParam("percent", 40).get("/v1/segments/{id}/sample", id).then()
                .statusCode(200).extract().jsonPath().getList("items.subscriberId", String.class);
        assertEquals(sample, given().queryParam("percent", 40).get("/v1/segments/{id}/sample", id).jsonPath()
                .getList("items.subscriberId", String.class));
        assertEquals(subscribers.stream().filter(sample::contains).toList(), sample);
        assertTrue(sample.size() < subscribers.size());
        given().queryParam("percent", 100).get("/v1/segments/{id}/sample", id).then()
                .body("items.size()", equalTo(subscribers.size())).body("percent", equalTo(100.0f));
        given().get("/v1/segments/{id}/sample", id).then().statusCode(200).body("percent", equalTo(2.0f))
                .body("items.size()", greaterThanOrEqualTo(0));
        for (String bad : List.of("0", "101", "lots")) {
            given().queryParam("percent", bad).get("/v1/segments/{id}/sample", id).then().statusCode(400)
                    .body("errors[0].pointer", equalTo("?percent"));
        }
    }

    @Test
    void createAndUpdateWarnWhenMoreThanTwentySegmentsAreActive() {
        List<String> created = new ArrayList<>();
        Response last;
        do {
            last = given().contentType(ContentType.JSON)
                    .body(clusterBody("Crowd " + UUID.randomUUID(), uniqueNumber(), null)).post("/v1/segments");
            last.then().statusCode(201);
            created.add(last.jsonPath().getString("id"));
        } while (last.jsonPath().get("warnings") == null && created.size() < 25);
        assertTrue(last.jsonPath().getString("warnings[0]").contains("exceed the recommended maximum of 20"),
                last.asString());
        given().contentType(ContentType.JSON).body(clusterBody("Crowd", 1, null))
                .put("/v1/segments/{id}", created.get(0)).then().statusCode(200)
                .body("warnings[0]", containsString("active segments"));
        given().get("/v1/segments/{id}", created.get(0)).then().body("$", not(hasKey("warnings")));
        created.forEach(id -> given().delete("/v1/segments/{id}", id).then().statusCode(204));
    }

    // --- helpers -----------------------------------------------------------------------------

    private List<SegmentMembershipEvent> events(String subscriber, String segmentId) {
        return SegmentFixtures.events(membershipEvents, json, subscriber, segmentId);
    }

    private List<MembershipChange> changes(String subscriber, String segmentId) {
        return SegmentFixtures.changes(membershipEvents, json, subscriber, segmentId);
    }

    private static List<String> allMembers(String segmentId, String holdout) {
        List<String> members = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().queryParam("limit", 1000);
            if (holdout != null) {
                request.queryParam("holdout", holdout);
            }
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/segments/{id}/members", segmentId).then().statusCode(200).extract()
                    .jsonPath();
            members.addAll(page.getList("items.subscriberId", String.class));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return members;
    }
}
