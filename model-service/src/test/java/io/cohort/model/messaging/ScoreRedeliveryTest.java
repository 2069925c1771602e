package io.cohort.model.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 item 2: the snapshot is stored in its own transaction before the score is published, so
 * a process that dies between the two leaves a stored version with no score. Its redelivery (the
 * offset was never committed) must then score and publish it, not skip it as already seen.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class ScoreRedeliveryTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    TestDatabase db;
    @Inject
    ObjectMapper json;
    @Inject
    FeatureSnapshotRepository snapshots;

    @Test
    void aVectorStoredButNotScoredBeforeACrashIsScoredWhenRedelivered() throws Exception {
        FeatureFeed feed = new FeatureFeed(json);
        String run = "redeliver-" + UUID.randomUUID() + "-";
        feed.ensureActiveClustering(run + "seed-", db);
        String id = run + "crashed";
        Instant computed = Instant.now().minus(1, ChronoUnit.MINUTES);
        Map<String, Double> features = FeatureFeed.behaviour(Behaviour.BUYER, 0);

        // what the consumer had done when the process died: the snapshot's transaction committed,
        // the score was neither published nor recorded, the offset not committed
        assertTrue(snapshots.storeIfNewer(id, 1, computed, features, Instant.now())
                == FeatureSnapshotRepository.Stored.STORED);
        assertFalse(db.hasScoreRow(id), "nothing scored yet");

        try (TopicRecords scores = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.SCORES)) {
            // the redelivery of the same record
            feed.sendRaw(id, json.writeValueAsString(
                    new FeatureVector(FeatureVector.SCHEMA_VERSION, id, 1, computed, features)));
            await("the redelivered vector is scored and published").atMost(PATIENCE)
                    .until(() -> db.hasScoreRow(id) && !scores.pollKey(id).isEmpty());
        }
    }
}
