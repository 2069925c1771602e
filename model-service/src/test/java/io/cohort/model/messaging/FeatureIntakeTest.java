package io.cohort.model.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.FeatureNames;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.model.FeatureFeed;
import io.cohort.model.FeatureFeed.Behaviour;
import io.cohort.model.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How feature vectors become snapshots: newest version wins, bad records are dead-lettered, tombstones erase. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class FeatureIntakeTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    TestDatabase db;
    @Inject
    ObjectMapper json;

    @Test
    void anOlderOrRepeatedVersionChangesNothing() {
        FeatureFeed feed = new FeatureFeed(json);
        String id = "in-" + UUID.randomUUID();
        feed.send(id, 5, FeatureFeed.behaviour(Behaviour.BUYER, 0));
        await().atMost(PATIENCE).until(() -> db.snapshotVersion(id), v -> v.equals(Optional.of(5L)));
        String stored = db.snapshotFeatures(id).orElseThrow();

        feed.send(id, 3, FeatureFeed.behaviour(Behaviour.DORMANT, 0));
        feed.send(id, 5, FeatureFeed.behaviour(Behaviour.OPENER, 0));
        // a record for another subscriber on the same partition is consumed after both
        String barrier = FeatureFeed.samePartitionKey(id, "in-barrier-" + UUID.randomUUID() + "-");
        feed.send(barrier, 1, FeatureFeed.behaviour(Behaviour.OPENER, 0));
        await().atMost(PATIENCE).until(() -> db.snapshotVersion(barrier).isPresent());

        assertEquals(Optional.of(5L), db.snapshotVersion(id));
        assertEquals(stored, db.snapshotFeatures(id).orElseThrow());
        assertTrue(stored.contains("\"" + FeatureNames.REVENUE_90D + "\": 4"), stored);
    }

    @Test
    void unreadableAndInconsistentRecordsAreDeadLetteredAndConsumptionGoesOn() {
        FeatureFeed feed = new FeatureFeed(json);
        String id = "in-" + UUID.randomUUID();
        feed.sendRaw(id, "{not json");
        feed.sendRaw(id, "{\"schemaVersion\":1,\"version\":\"many\"}");
        // valid JSON, but keyed by a different subscriber than it names
        feed.sendRaw(id, feed.json("someone-else-" + UUID.randomUUID(), 1, FeatureFeed.behaviour(Behaviour.BUYER, 0)));
        feed.send(id, 1, FeatureFeed.behaviour(Behaviour.OPENER, 0));
        await().atMost(PATIENCE).until(() -> db.snapshotVersion(id), v -> v.equals(Optional.of(1L)));
        assertEquals(0L, db.snapshotsWithPrefix("someone-else-"));
    }

    @Test
    void aTombstoneErasesTheSubscriberAndAnUnknownOneIsHarmless() {
        FeatureFeed feed = new FeatureFeed(json);
        String id = "in-" + UUID.randomUUID();
        feed.send(id, 1, FeatureFeed.behaviour(Behaviour.OPENER, 0));
        await().atMost(PATIENCE).until(() -> db.snapshotVersion(id).isPresent());
        feed.tombstone("in-never-seen-" + UUID.randomUUID());
        feed.tombstone(id);
        await().atMost(PATIENCE).until(() -> db.snapshotVersion(id).isEmpty());
        // a redelivered older vector after the erasure is a new subscriber again: stored, not rejected
        feed.send(id, 1, FeatureFeed.behaviour(Behaviour.OPENER, 0));
        await().atMost(PATIENCE).until(() -> db.snapshotVersion(id).isPresent());
        feed.tombstone(id);
        await().atMost(PATIENCE).until(() -> db.snapshotVersion(id).isEmpty());
    }
}
