package io.cohort.feature.messaging;

import static io.cohort.feature.messaging.FeatureTopics.send;
import static io.cohort.feature.messaging.FeatureTopics.track;
import static io.cohort.feature.messaging.FeatureTopics.vectors;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.core.type.TypeReference;
import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.feature.domain.PointInTime;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Features without a label for any asOf up to now (issue 15, item 10). */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class FeatureExportTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TopicRecords features;

    @BeforeAll
    static void readFeatures() {
        features = new TopicRecords(FeatureTopics.bootstrap(), Topics.FEATURES);
    }

    @AfterAll
    static void close() {
        features.close();
    }

    private static Map<String, Map<String, Object>> export(Instant asOf) {
        String body = given().contentType("application/json").body(Map.of("asOf", asOf.toString()))
                .post("/v1/feature-exports")
                .then().statusCode(200).contentType("application/x-ndjson")
                .extract().asString();
        Map<String, Map<String, Object>> rows = new HashMap<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                try {
                    Map<String, Object> row = FeatureTopics.JSON.readValue(line, new TypeReference<>() {
                    });
                    rows.put((String) row.get("subscriberId"), row);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return rows;
    }

    private static void sendAndAwait(String user, io.cohort.contracts.EventEnvelope event, int version) {
        send(event);
        await().atMost(WAIT).until(() -> vectors(features, user).size() >= version);
    }

    @Test
    void todaysFeaturesWithoutALabelAndNothingAfterTheCutoffMovesThem() {
        Instant asOf = Instant.now();
        Instant cutoff = PointInTime.cutoff(asOf);
        String user = "u-" + UUID.randomUUID();
        sendAndAwait(user, track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 50),
                cutoff.minus(Duration.ofDays(40))), 1);
        sendAndAwait(user, track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 20),
                cutoff.minus(Duration.ofDays(10))), 2);
        sendAndAwait(user, track(user, CanonicalEvents.EMAIL_OPENED, null, cutoff.minus(Duration.ofDays(3))), 3);

        // a training set at today's cutoff is refused: its label horizon has not passed
        given().contentType("application/json")
                .body(Map.of("asOf", asOf.toString(), "horizonDays", 1, "label", "ordered"))
                .post("/v1/training-sets").then().statusCode(400)
                .body("errors.message", hasItem(containsString("/v1/feature-exports")));

        Map<String, Object> row = export(asOf).get(user);
        assertEquals(cutoff.toString(), row.get("asOf"));
        assertFalse(row.containsKey("label") || row.containsKey("outcome"), "features only");
        @SuppressWarnings("unchecked")
        Map<String, Object> before = (Map<String, Object>) row.get("features");
        assertEquals(1.0, before.get(FeatureNames.ORDERS_30D));
        assertEquals(20.0, before.get(FeatureNames.REVENUE_30D));
        assertEquals(2.0, before.get(FeatureNames.ORDERS_TOTAL));
        assertEquals(70.0, before.get(FeatureNames.REVENUE_TOTAL));
        assertEquals(2.0, before.get(FeatureNames.ORDERS_90D));
        assertEquals(1.0, before.get(FeatureNames.EMAILS_OPENED_30D));

        // an order after the cutoff (today) moves nothing in an export as of the same asOf
        sendAndAwait(user, track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 999), Instant.now()), 4);
        assertEquals(before, export(asOf).get(user).get("features"));
        // an export as of a week ago sees the order ten days ago, not the open three days ago
        @SuppressWarnings("unchecked")
        Map<String, Object> weekAgo = (Map<String, Object>) export(asOf.minus(Duration.ofDays(7))).get(user)
                .get("features");
        assertEquals(2.0, weekAgo.get(FeatureNames.ORDERS_TOTAL));
        assertEquals(0.0, weekAgo.get(FeatureNames.EMAILS_OPENED_30D));
        // the live vector has the new order
        assertEquals(3.0, vectors(features, user).get(3).features().get(FeatureNames.ORDERS_TOTAL));
    }

    @Test
    void asOfIsRequiredAndMayNotLieAhead() {
        given().contentType("application/json").body(Map.of()).post("/v1/feature-exports").then().statusCode(400)
                .contentType("application/problem+json").body("errors.pointer", hasItem("/asOf"));
        given().contentType("application/json").body(Map.of("asOf", Instant.now().plusSeconds(3600).toString()))
                .post("/v1/feature-exports").then().statusCode(400).body("errors.pointer", hasItem("/asOf"));
        given().contentType("application/json").body(Map.of("asOf", "yesterday"))
                .post("/v1/feature-exports").then().statusCode(400).body("errors.pointer", hasItem("/asOf"));
    }
}
