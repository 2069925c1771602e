package io.cohort.segment.api;

import static io.cohort.segment.api.SegmentFixtures.bootstrap;
import static io.cohort.segment.api.SegmentFixtures.create;
import static io.cohort.segment.api.SegmentFixtures.featuresJson;
import static io.cohort.segment.api.SegmentFixtures.ruleBody;
import static io.cohort.segment.api.SegmentFixtures.sendFeatures;
import static io.cohort.segment.api.SegmentFixtures.uniqueNumber;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.segment.domain.MembershipReadModel;
import io.cohort.segment.persistence.Jdbc;
import io.cohort.segment.persistence.ReadModelRefresher;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The in-memory read model behind {@code GET /v1/subscribers/{id}/segments} and
 * {@code GET /v1/segments/{id}/members/{sid}} stays equal to the database: after entered and
 * exited transitions, a redelivered record, an erasure, and a change committed by "another
 * replica" (written straight to the database and announced on the membership topic).
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class ReadModelConsistencyTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ReadModelRefresher refresher;

    @Inject
    Jdbc jdbc;

    @Test
    void lookupsFollowEnteredAndExitedTransitionsAndIgnoreRedelivery() {
        int marker = uniqueNumber();
        String segment = create(ruleBody("read-model-" + marker, 3, marker, null));
        String subscriber = "rm-" + marker;

        sendFeatures(subscriber, 1, Map.of("emails_opened_30d", 5.0, "orders_90d", (double) marker));
        awaitConsistent(subscriber, segment, true);
        JsonPath entered = membership(segment, subscriber);
        assertTrue(entered.getBoolean("member"));
        assertEquals(5.0, entered.getDouble("explanation.conditions[0].value"), "the explanation reads the memory's view");
        String enteredAt = entered.getString("enteredAt");

        // the same record again (a redelivery) and an older version: nothing changes, not even the entry time
        String record = featuresJson(subscriber, 1, Map.of("emails_opened_30d", 5.0, "orders_90d", (double) marker));
        TopicRecords.send(bootstrap(), Topics.FEATURES, subscriber, record);
        sendFeatures(subscriber, 0, Map.of("emails_opened_30d", 0.0, "orders_90d", (double) marker));
        // a newer record of the same subscriber (same partition, so consumed after the two above)
        sendFeatures(subscriber, 2, Map.of("emails_opened_30d", 6.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> Long.valueOf(2).equals(refresher.model().view(subscriber).featureVersion()));
        awaitConsistent(subscriber, segment, true);
        JsonPath continuing = membership(segment, subscriber);
        assertEquals(enteredAt, continuing.getString("enteredAt"), "a continuing member keeps the entry time");
        assertEquals(6.0, continuing.getDouble("explanation.conditions[0].value"));
        assertEquals(1, segmentsOf(subscriber).getList("segments").size());

        sendFeatures(subscriber, 3, Map.of("emails_opened_30d", 1.0, "orders_90d", (double) marker));
        awaitConsistent(subscriber, segment, false);
        JsonPath exited = membership(segment, subscriber);
        assertFalse(exited.getBoolean("member"));
        assertEquals(1.0, exited.getDouble("explanation.conditions[0].value"));
        assertEquals(List.of(), segmentsOf(subscriber).getList("segments"));
    }

    @Test
    void erasureRemovesTheSubscriberFromTheReadModel() {
        int marker = uniqueNumber();
        String segment = create(ruleBody("read-model-erasure-" + marker, 1, marker, null));
        String subscriber = "rm-erased-" + marker;
        sendFeatures(subscriber, 1, Map.of("emails_opened_30d", 4.0, "orders_90d", (double) marker));
        awaitConsistent(subscriber, segment, true);

        TopicRecords.send(bootstrap(), Topics.FEATURES, subscriber, null);
        awaitConsistent(subscriber, segment, false);
        MembershipReadModel model = refresher.model();
        assertEquals(List.of(), model.segmentsOf(subscriber));
        assertEquals(null, model.view(subscriber).featureVersion(), "the view is forgotten too");
        JsonPath answer = membership(segment, subscriber);
        assertFalse(answer.getBoolean("member"));
        assertEquals(0, jdbc.query("select count(*) from subscriber_view where subscriber_id = ?",
                s -> s.setString(1, subscriber), row -> row.getInt(1)).get(0));
    }

    @Test
    void aChangeCommittedByAnotherReplicaArrivesThroughTheMembershipTopic() {
        int marker = uniqueNumber();
        String segment = create(ruleBody("read-model-replica-" + marker, 100, marker, null));
        String subscriber = "rm-replica-" + marker;
        sendFeatures(subscriber, 1, Map.of("emails_opened_30d", 1.0, "orders_90d", (double) marker));
        awaitConsistent(subscriber, segment, false);

        // another replica's commit: a membership row this replica never wrote, then its event
        Instant at = Instant.parse("2026-03-02T08:00:00Z");
        jdbc.update("insert into membership (segment_id, subscriber_id, entered_at, holdout) values (?, ?, ?, false)",
                s -> {
                    s.setObject(1, UUID.fromString(segment));
                    s.setString(2, subscriber);
                    s.setObject(3, java.time.OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC));
                });
        TopicRecords.send(bootstrap(), Topics.SEGMENT_MEMBERSHIP, subscriber, "{}");
        awaitConsistent(subscriber, segment, true);
        assertEquals(at.toString(), membership(segment, subscriber).getString("enteredAt"));

        jdbc.update("delete from membership where segment_id = ? and subscriber_id = ?", s -> {
            s.setObject(1, UUID.fromString(segment));
            s.setString(2, subscriber);
        });
        TopicRecords.send(bootstrap(), Topics.SEGMENT_MEMBERSHIP, subscriber, "{}");
        awaitConsistent(subscriber, segment, false);
    }

    @Test
    void viewChangesAndErasuresOfOtherReplicasWithoutTransitionsArriveThroughThePolls() {
        int marker = uniqueNumber();
        String segment = create(ruleBody("read-model-poll-" + marker, 100, marker, null));
        String subscriber = "rm-poll-" + marker;
        sendFeatures(subscriber, 1, Map.of("emails_opened_30d", 1.0, "orders_90d", (double) marker));
        awaitConsistent(subscriber, segment, false);

        // another replica applied a newer vector that changed no membership: no event, only the row
        jdbc.update("update subscriber_view set feature_version = 7, features = cast(? as jsonb), updated_at = now() "
                + "where subscriber_id = ?", s -> {
                    s.setString(1, "{\"emails_opened_30d\": 2.0, \"orders_90d\": " + marker + "}");
                    s.setString(2, subscriber);
                });
        await().atMost(WAIT).until(() -> Long.valueOf(7).equals(refresher.model().view(subscriber).featureVersion()));
        assertEquals(2.0, membership(segment, subscriber).getDouble("explanation.conditions[0].value"));

        // another replica erased it (no membership, so no event): the id reconciliation forgets it
        jdbc.update("delete from subscriber_view where subscriber_id = ?", s -> s.setString(1, subscriber));
        await().atMost(WAIT).until(() -> !refresher.model().subscriberIds().contains(subscriber));
        assertEquals(null, refresher.model().view(subscriber).featureVersion());
    }

    /**
     * Waits until the database holds the expected membership and the read model is current for
     * the subscriber (answers from memory) and equal to the database; then the HTTP lookups agree.
     */
    private void awaitConsistent(String subscriber, String segment, boolean member) {
        UUID segmentId = UUID.fromString(segment);
        await().atMost(WAIT).untilAsserted(() -> {
            Optional<Boolean> stored = storedMembership(segmentId, subscriber);
            assertEquals(member, stored.isPresent(), "database membership");
            MembershipReadModel model = refresher.model();
            assertTrue(model.isCurrent(subscriber), "read model current");
            Optional<MembershipReadModel.Member> inMemory = model.membership(segmentId, subscriber);
            assertEquals(member, inMemory.isPresent(), "read model membership");
            if (member) {
                assertEquals(stored.get(), inMemory.get().holdout());
            }
        });
        assertEquals(member, membership(segment, subscriber).getBoolean("member"));
        List<String> listed = segmentsOf(subscriber).getList("segments.segmentId");
        assertEquals(member, listed.contains(segment));
        List<UUID> fromDatabase = jdbc.query("select segment_id from membership where subscriber_id = ?",
                s -> s.setString(1, subscriber), row -> row.getObject(1, UUID.class));
        assertEquals(fromDatabase.stream().map(UUID::toString).sorted().toList(), listed.stream().sorted().toList());
    }

    private Optional<Boolean> storedMembership(UUID segment, String subscriber) {
        return jdbc.query("select holdout from membership where segment_id = ? and subscriber_id = ?", s -> {
            s.setObject(1, segment);
            s.setString(2, subscriber);
        }, row -> row.getBoolean(1)).stream().findFirst();
    }

    private static JsonPath membership(String segment, String subscriber) {
        return given().get("/v1/segments/" + segment + "/members/" + subscriber).then().statusCode(200).extract()
                .jsonPath();
    }

    private static JsonPath segmentsOf(String subscriber) {
        return given().get("/v1/subscribers/" + subscriber + "/segments").then().statusCode(200).extract().jsonPath();
    }
}
