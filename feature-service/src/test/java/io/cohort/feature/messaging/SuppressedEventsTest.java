package io.cohort.feature.messaging;

import static io.cohort.feature.messaging.FeatureTopics.send;
import static io.cohort.feature.messaging.FeatureTopics.track;
import static io.cohort.feature.messaging.FeatureTopics.vectors;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.ErasedIds;
import io.cohort.contracts.ErasureRequest;
import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.feature.AdjustableClock;
import io.cohort.feature.persistence.FeatureStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Erasure wins over events that were in flight when it happened (issue 15, item 2). */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class SuppressedEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TopicRecords features;

    @Inject
    MeterRegistry registry;

    @Inject
    FeatureStore store;

    @Inject
    FeatureSweep sweep;

    @Inject
    AccountRefresh refresh;

    @Inject
    AdjustableClock clock;

    @Inject
    javax.sql.DataSource dataSource;

    @BeforeAll
    static void readFeatures() {
        features = new TopicRecords(FeatureTopics.bootstrap(), Topics.FEATURES);
    }

    @AfterAll
    static void close() {
        features.close();
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    private double suppressed() {
        var counter = registry.find("cohort.feature.events").tag("outcome", "suppressed").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void anEventReceivedBeforeTheErasureIsDroppedAndOneReceivedAfterItIsApplied() throws Exception {
        double before = suppressed();
        String user = "u-" + UUID.randomUUID();
        Instant erasedAt = Instant.now();
        send(track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 10), erasedAt.minusSeconds(600)));
        await().atMost(WAIT).until(() -> vectors(features, user), p -> !p.isEmpty());
        TopicRecords.send(FeatureTopics.bootstrap(), Topics.ERASURE, user, FeatureTopics.json(
                new ErasureRequest(ErasureRequest.SCHEMA_VERSION, UUID.randomUUID().toString(), user, erasedAt)));
        await().atMost(WAIT).until(() -> vectors(features, user), p -> p.stream().anyMatch(Objects::isNull));

        // consumption lagged: this order was received a second before the erasure and arrives now
        send(track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 50), erasedAt.minusSeconds(1)));
        // received after the erasure (ingest lets such events through only after an un-suppress)
        send(track(user, CanonicalEvents.EMAIL_DELIVERED, null, erasedAt.plusSeconds(1)));

        List<FeatureVector> published = await().atMost(WAIT).until(() -> vectors(features, user),
                p -> p.get(p.size() - 1) != null && p.stream().anyMatch(Objects::isNull));
        FeatureVector fresh = published.get(published.size() - 1);
        assertNull(published.get(published.size() - 2), "nothing between the tombstone and the new profile");
        assertEquals(1L, fresh.version(), "a new profile, not the erased one resumed");
        assertEquals(0.0, fresh.features().get(FeatureNames.ORDERS_90D), "the in-flight order was dropped");
        assertEquals(1.0, fresh.features().get(FeatureNames.EMAILS_DELIVERED_30D));
        assertTrue(suppressed() >= before + 1);
        // the register holds the hash, never the id
        assertEquals(1, count("select count(*) from feature.erased_subscriber where id_hash = ?", ErasedIds.hash(user)));
        assertEquals(0, count("select count(*) from feature.erased_subscriber where id_hash = ?", user));
    }

    @Test
    void aDroppedEventLeavesNoProfileAndTheSweepAndRefreshPublishNothingForTheErased() {
        String user = "u-" + UUID.randomUUID();
        String colleague = "u-" + UUID.randomUUID();
        String account = "acct-" + UUID.randomUUID();
        Instant now = Instant.now();
        for (String contact : List.of(user, colleague)) {
            send(new io.cohort.contracts.EventEnvelope(1, UUID.randomUUID().toString(), io.cohort.contracts.EventType.IDENTIFY,
                    contact, null, account, null, null, null, Map.of("accountId", account), null,
                    now.minusSeconds(60), null, now.minusSeconds(60)));
        }
        await().atMost(WAIT).until(() -> vectors(features, user), p -> !p.isEmpty());
        assertTrue(store.erase(user, now));

        FeatureStore.Applied inFlight = store.applyBatch(List.of(
                track(user, CanonicalEvents.EMAIL_OPENED, null, now.minusSeconds(5))), 0).get(0);
        assertTrue(inFlight.suppressed());
        assertTrue(inFlight.vector().isEmpty());
        given().get("/v1/subscribers/{id}/features", user).then().statusCode(404);
        given().get("/v1/subscribers/{id}/profile", user).then().statusCode(404);

        int before = vectors(features, user).size();
        refresh.refreshOnce();
        clock.advance(Duration.ofDays(1));
        sweep.sweepOnce();
        // anything the refresh or sweep published for the key precedes this marker on its partition
        TopicRecords.send(FeatureTopics.bootstrap(), Topics.FEATURES, user, null);
        List<FeatureVector> after = await().atMost(WAIT).until(() -> vectors(features, user),
                p -> p.size() > before);
        assertEquals(before + 1, after.size(), "only the marker: no vector for the erased subscriber");
    }

    private long count(String sql, String parameter) throws java.sql.SQLException {
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (java.sql.ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
