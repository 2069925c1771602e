package io.cohort.feature.messaging;

import static io.cohort.feature.messaging.FeatureTopics.send;
import static io.cohort.feature.messaging.FeatureTopics.track;
import static io.cohort.feature.messaging.FeatureTopics.vectors;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.feature.AdjustableClock;
import io.cohort.feature.persistence.FeatureStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A bulk import mid-day is scored against boundaries recomputed for it, not the morning's (issue 15, item 9). */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class RfmRecomputeTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static TopicRecords features;

    @Inject
    AdjustableClock clock;

    @Inject
    FeatureSweep sweep;

    @Inject
    FeatureStore store;

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

    private static String group(String subscriber) {
        return given().get("/v1/subscribers/{id}/features", subscriber).then().statusCode(200)
                .extract().as(FeatureVector.class).labelsOrEmpty().get(FeatureNames.RFM_GROUP);
    }

    private static void awaitVectors(List<String> subscribers) {
        for (String subscriber : subscribers) {
            await().atMost(WAIT).until(() -> vectors(features, subscriber), p -> !p.isEmpty());
        }
    }

    @Test
    void aLargeImportMidDayRecomputesTheBoundariesAtTheNextSweep() {
        // years ahead, so the 365-day window holds this test's customers only
        clock.advance(Duration.ofDays(3 * 366));
        Instant now = clock.instant();
        List<String> morning = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String customer = "morning-" + UUID.randomUUID();
            morning.add(customer);
            send(track(customer, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 20 + i), now.minusSeconds(60)));
        }
        awaitVectors(morning);
        sweep.sweepOnce();
        assertEquals(20, store.refreshRfmIfDue().customers(), "the morning's base");

        // the import: 40 customers who last ordered weeks to months ago, and a big spender 9 days ago
        List<String> imported = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String customer = "imported-" + UUID.randomUUID();
            imported.add(customer);
            send(track(customer, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 30 + i),
                    now.minus(Duration.ofDays(20 + 4L * i))));
        }
        String vip = "vip-" + UUID.randomUUID();
        for (int order = 0; order < 5; order++) {
            send(track(vip, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 40_000),
                    now.minus(Duration.ofDays(9 + 20L * order))));
        }
        imported.add(vip);
        awaitVectors(imported);
        await().atMost(WAIT).until(() -> vectors(features, vip).size() == 5);
        assertEquals("At Risk", group(vip), "scored against the morning's 20, who all ordered today");

        // the same hour, the same day: the base grew threefold, so the next sweep recomputes and rescores
        sweep.sweepOnce();
        assertEquals(61, store.refreshRfmIfDue().customers());
        assertEquals("Champions", group(vip));
    }
}
