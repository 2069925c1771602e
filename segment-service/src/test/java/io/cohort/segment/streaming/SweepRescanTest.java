package io.cohort.segment.streaming;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.devstack.DevStackTestResource;
import io.cohort.segment.persistence.RescanRequests;
import io.cohort.segment.persistence.SegmentRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * A sweep under the streams engine makes the tasks of every instance rescan, not only those of the
 * replica that ran it: it raises the rescan request's generation in PostgreSQL, and each instance's
 * registry (here a second one over the same database, as another replica holds it) notices it as it
 * notices changed definitions, so that instance's tasks see a new generation and rescan
 * ({@code MembershipTopologyTest} shows a new generation starting a rescan).
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
@TestProfile(io.cohort.segment.api.StreamsEngineTest.StreamsEngine.class)
class SweepRescanTest {

    @Inject
    KafkaStreams streams;
    @Inject
    SegmentRegistry registry;
    @Inject
    SegmentRepository segments;
    @Inject
    RescanRequests rescans;
    @Inject
    EngineConfig config;
    @Inject
    StreamsObserver observer;

    @Test
    void aSweepOnOneReplicaMakesEveryReplicasTasksRescan() {
        await().atMost(Duration.ofSeconds(90)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        SegmentRegistry otherReplica = new SegmentRegistry(segments, rescans, config);
        long otherBefore = otherReplica.generation();
        long thisBefore = registry.generation();
        long requested = rescans.generation();
        otherReplica.refresh();
        assertEquals(otherBefore, otherReplica.generation(), "nothing changed: no rescan");

        Map<String, TaskRescan> before = observer.rescans();
        given().post("/v1/sweeps").then().statusCode(200);

        assertEquals(requested + 1, rescans.generation(), "the sweep's request is in PostgreSQL");
        assertTrue(registry.generation() > thisBefore, "this replica's tasks rescan at once");
        otherReplica.refresh();
        assertTrue(otherReplica.generation() > otherBefore, "the other replica noticed the request: its tasks rescan");
        assertTrue(rescans.requestedWithin(Duration.ofMinutes(30)), "a scheduled sweep elsewhere now skips");
        assertFalse(rescans.requestedWithin(Duration.ZERO));

        // and this replica's tasks did rescan: every task reported a rescan since, and finished it
        await().atMost(Duration.ofSeconds(60)).until(() -> observer.rescans().entrySet().stream()
                .allMatch(task -> task.getValue().scanning().isEmpty() && task.getValue() != before.get(task.getKey()))
                && !observer.rescans().isEmpty());
    }
}
