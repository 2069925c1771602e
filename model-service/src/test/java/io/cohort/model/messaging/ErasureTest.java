package io.cohort.model.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.ErasureRequest;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.model.FeatureFeed;
import io.cohort.model.FeatureFeed.Behaviour;
import io.cohort.model.TestDatabase;
import io.cohort.model.persistence.FeatureSnapshotRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 2: an erasure request on cohort.erasure.v1 wins over in-flight feature vectors. The
 * subscriber's rows go, its scores get a tombstone, and a vector computed before the erasure that
 * arrives afterwards brings nothing back (no snapshot, no score); one computed after it (an explicit
 * un-suppress upstream) is a new subscriber.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class ErasureTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    TestDatabase db;
    @Inject
    ObjectMapper json;
    @Inject
    FeatureSnapshotRepository snapshots;

    @Test
    void aVectorFromBeforeTheErasureArrivingAfterItIsDropped() throws Exception {
        FeatureFeed feed = new FeatureFeed(json);
        String run = "erase-" + UUID.randomUUID() + "-";
        feed.ensureActiveClustering(run + "seed-", db);
        String id = run + "gone";
        Instant computed = Instant.now().minus(1, ChronoUnit.HOURS);
        feed.sendRaw(id, vector(id, 1, computed));
        await().atMost(PATIENCE).until(() -> db.hasScoreRow(id));

        Instant erasedAt = Instant.now();
        TopicRecords.send(DevStack.shared().kafkaBootstrapServers(), Topics.ERASURE, id, json.writeValueAsString(
                new ErasureRequest(ErasureRequest.SCHEMA_VERSION, UUID.randomUUID().toString(), id, erasedAt)));
        await().atMost(PATIENCE).until(() -> snapshots.isSuppressed(id) && db.snapshotVersion(id).isEmpty());
        assertFalse(db.hasScoreRow(id));
        try (TopicRecords scores = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.SCORES)) {
            List<ConsumerRecord<String, String>> before = await().atMost(PATIENCE).until(() -> scores.pollKey(id),
                    r -> !r.isEmpty() && r.get(r.size() - 1).value() == null);

            // in flight from before the erasure: a newer version, but computed before erased_at
            feed.sendRaw(id, vector(id, 2, computed.plusSeconds(60)));
            String barrier = FeatureFeed.samePartitionKey(id, run + "barrier-");
            feed.send(barrier, 1, FeatureFeed.behaviour(Behaviour.OPENER, 0));
            await().atMost(PATIENCE).until(() -> db.snapshotVersion(barrier).isPresent());
            assertTrue(db.snapshotVersion(id).isEmpty(), "no snapshot");
            assertFalse(db.hasScoreRow(id), "no score row");
            await().atMost(PATIENCE).until(() -> !scores.pollKey(barrier).isEmpty());
            List<ConsumerRecord<String, String>> after = scores.pollKey(id);
            assertEquals(before.size(), after.size(), "no score published after the tombstone");
            assertNull(after.get(after.size() - 1).value());
        }

        // computed after the erasure (the subscriber came back through an explicit un-suppress): kept
        feed.sendRaw(id, vector(id, 3, erasedAt.plusSeconds(1)));
        await().atMost(PATIENCE).until(() -> db.snapshotVersion(id).isPresent());
    }

    private String vector(String id, long version, Instant computedAt) throws Exception {
        return json.writeValueAsString(new FeatureVector(FeatureVector.SCHEMA_VERSION, id, version, computedAt,
                FeatureFeed.behaviour(Behaviour.BUYER, 0)));
    }
}
