package io.cohort.model.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.ErasedIds;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.model.FeatureFeed;
import io.cohort.model.FeatureFeed.Behaviour;
import io.cohort.model.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 1: a transient failure is retried, never dead-lettered. Another session holds the
 * subscriber's erasure lock past lock-timeout (1 s in tests), so storing the vector fails with
 * PostgreSQL's 55P03 "lock not available"; once the lock is released the retried record is stored.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class TransientFailureTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    TestDatabase db;
    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Test
    void aLockConflictIsRetriedUntilItClearsAndNothingIsDeadLettered() throws Exception {
        FeatureFeed feed = new FeatureFeed(json);
        String id = "transient-" + UUID.randomUUID();
        double before = retries();
        try (Connection session = DriverManager.getConnection(jdbcUrl, user, password)) {
            session.setAutoCommit(false);
            try (PreparedStatement lock = session.prepareStatement(
                    "select pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, ErasedIds.hash(id));
                lock.execute();
            }
            feed.send(id, 1, FeatureFeed.behaviour(Behaviour.OPENER, 0));
            await().atMost(PATIENCE).until(() -> retries() > before);
            assertTrue(db.snapshotVersion(id).isEmpty(), "not stored while the lock is held");
            session.commit();
        }
        await().atMost(PATIENCE).until(() -> db.snapshotVersion(id).isPresent());
        // a record behind it on the same partition is consumed after it: by then it would have been dead-lettered
        String barrier = FeatureFeed.samePartitionKey(id, "transient-barrier-" + UUID.randomUUID() + "-");
        feed.send(barrier, 1, FeatureFeed.behaviour(Behaviour.OPENER, 0));
        await().atMost(PATIENCE).until(() -> db.snapshotVersion(barrier).isPresent());
        try (TopicRecords dead = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.MODEL_SERVICE_DLQ)) {
            for (int i = 0; i < 5; i++) {
                assertTrue(dead.pollKey(id).isEmpty(), "a transient failure is never dead-lettered");
            }
        }
    }

    private static double retries() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith("cohort_transient_retries_total")
                        && line.contains("channel=\"features-in\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
