package io.cohort.feature.messaging;

import static io.cohort.feature.messaging.FeatureTopics.send;
import static io.cohort.feature.messaging.FeatureTopics.track;
import static io.cohort.feature.messaging.FeatureTopics.vectors;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class TrainingSetTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant CUTOFF = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(10));
    private static final Instant AS_OF = CUTOFF.plus(Duration.ofHours(13));
    private static TopicRecords features;

    @BeforeAll
    static void readFeatures() {
        features = new TopicRecords(FeatureTopics.bootstrap(), Topics.FEATURES);
    }

    @AfterAll
    static void close() {
        features.close();
    }

    private static void sendAll(String user, List<EventEnvelope> events, long lastVersion) {
        events.forEach(FeatureTopics::send);
        await().atMost(WAIT).until(() -> vectors(features, user),
                p -> p.stream().anyMatch(v -> v != null && v.version() == lastVersion));
    }

    private static Map<String, Map<String, Object>> trainingSet(String label) {
        String body = given().contentType("application/json")
                .body(Map.of("asOf", AS_OF.toString(), "horizonDays", 5, "label", label))
                .post("/v1/training-sets")
                .then().statusCode(200).contentType("application/x-ndjson")
                .extract().asString();
        Map<String, Map<String, Object>> rows = new java.util.HashMap<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                Map<String, Object> row = read(line);
                rows.put((String) row.get("subscriberId"), row);
            }
        }
        return rows;
    }

    private static Map<String, Object> read(String line) {
        try {
            return FeatureTopics.JSON.readValue(line, new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void anEventAfterAsOfNeverChangesAFeatureOnlyTheLabel() {
        String user = "u-" + UUID.randomUUID();
        String latecomer = "u-" + UUID.randomUUID();
        sendAll(user, List.of(
                track(user, CanonicalEvents.EMAIL_SENT, null, CUTOFF.minus(Duration.ofDays(3))),
                track(user, CanonicalEvents.EMAIL_DELIVERED, null, CUTOFF.minus(Duration.ofDays(3))),
                track(user, CanonicalEvents.EMAIL_OPENED, null, CUTOFF.minus(Duration.ofDays(3))),
                track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 50), CUTOFF.minus(Duration.ofDays(20)))),
                4);
        sendAll(latecomer, List.of(track(latecomer, CanonicalEvents.EMAIL_OPENED, null,
                CUTOFF.plus(Duration.ofHours(1)))), 1);

        Map<String, Map<String, Object>> before = trainingSet("ordered");
        assertFalse(before.containsKey(latecomer), "first seen after the cutoff: not in the set");
        Map<String, Object> row = before.get(user);
        assertEquals(CUTOFF.toString(), row.get("asOf"));
        assertEquals("ordered", row.get("label"));
        assertEquals(0, row.get("outcome"));
        @SuppressWarnings("unchecked")
        Map<String, Object> featuresBefore = (Map<String, Object>) row.get("features");
        assertEquals(1.0, featuresBefore.get(FeatureNames.EMAILS_OPENED_30D));
        assertEquals(1.0, featuresBefore.get(FeatureNames.EMAILS_SENT_7D));
        assertEquals(1.0, featuresBefore.get(FeatureNames.ORDERS_90D));
        assertEquals(50.0, featuresBefore.get(FeatureNames.REVENUE_90D));
        // first seen exactly 20 days before the cutoff; the vector is the one of the last millisecond before it
        assertEquals(19.0, featuresBefore.get(FeatureNames.TENURE_DAYS));
        // an order 20 days before the cutoff: scored against the customers of the cutoff's eve
        for (String score : List.of(FeatureNames.RFM_R_SCORE, FeatureNames.RFM_F_SCORE, FeatureNames.RFM_M_SCORE)) {
            double value = ((Number) featuresBefore.get(score)).doubleValue();
            assertTrue(value >= 1 && value <= 5, score + " = " + value);
        }
        // the open and the order on days -3 and -20, seen from the day before the cutoff day
        assertEquals(2.0, featuresBefore.get(FeatureNames.DAYS_SINCE_LAST_OPEN));
        assertEquals(19.0, featuresBefore.get(FeatureNames.DAYS_SINCE_LAST_ORDER));
        assertFalse(featuresBefore.containsKey(FeatureNames.DAYS_SINCE_LAST_CLICK), "no click before the cutoff");
        assertEquals(1.0, featuresBefore.get(FeatureNames.EMAIL_CONSENT));
        assertEquals(0.0, featuresBefore.get(FeatureNames.SUPPRESSED));

        // everything after the cutoff: the same day (even before asOf), inside the horizon, after it
        sendAll(user, List.of(
                track(user, CanonicalEvents.EMAIL_OPENED, null, CUTOFF.plus(Duration.ofHours(2))),
                track(user, CanonicalEvents.EMAIL_LINK_CLICKED, null, CUTOFF.plus(Duration.ofDays(1))),
                track(user, CanonicalEvents.UNSUBSCRIBED, null, CUTOFF.plus(Duration.ofDays(1))),
                track(user, CanonicalEvents.EMAIL_MARKED_AS_SPAM, null, CUTOFF.plus(Duration.ofDays(2))),
                track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 70), CUTOFF.plus(Duration.ofDays(2))),
                track(user, CanonicalEvents.CONSENT_UPDATED, Map.of("channel", "email", "granted", false),
                        CUTOFF.plus(Duration.ofDays(2))),
                track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 90), Instant.now())), 11);

        Map<String, Object> afterRow = trainingSet("ordered").get(user);
        assertEquals(featuresBefore, afterRow.get("features"), "no feature moved");
        assertEquals(1, afterRow.get("outcome"));
        assertEquals(1, trainingSet("unsubscribed").get(user).get("outcome"));
        assertEquals(1, trainingSet("clicked").get(user).get("outcome"));
        assertEquals(0, trainingSet("churned").get(user).get("outcome"));
        assertTrue(trainingSet("churned").containsKey(user));
    }

    @Test
    void invalidRequestsNameEachFieldAndAnUnfinishedHorizonIsRefused() {
        given().contentType("application/json").body(Map.of("asOf", "yesterday", "horizonDays", 0, "label", "opened"))
                .post("/v1/training-sets")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItems("/asOf", "/horizonDays", "/label"));
        given().contentType("application/json")
                .body(Map.of("asOf", Instant.now().minus(Duration.ofDays(2)).toString(), "horizonDays", 7,
                        "label", "clicked"))
                .post("/v1/training-sets")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/horizonDays"));
    }

    @Test
    void daysSinceTheLastOpenReachBackBeyondTheYearOfWindows() {
        String user = "u-" + UUID.randomUUID();
        sendAll(user, List.of(
                track(user, CanonicalEvents.EMAIL_OPENED, null, CUTOFF.minus(Duration.ofDays(400))),
                track(user, CanonicalEvents.EMAIL_DELIVERED, null, CUTOFF.minus(Duration.ofDays(2)))), 2);
        @SuppressWarnings("unchecked")
        Map<String, Object> features = (Map<String, Object>) trainingSet("churned").get(user).get("features");
        assertEquals(399.0, features.get(FeatureNames.DAYS_SINCE_LAST_OPEN), "from the open's day to the cutoff's eve");
        assertEquals(0.0, features.get(FeatureNames.EMAILS_OPENED_90D));
    }

    @Test
    void consentIsTheLatestChangeBeforeTheCutoff() {
        String revokedBefore = "u-" + UUID.randomUUID();
        String revokedAfter = "u-" + UUID.randomUUID();
        for (String user : List.of(revokedBefore, revokedAfter)) {
            send(track(user, CanonicalEvents.EMAIL_DELIVERED, null, CUTOFF.minus(Duration.ofDays(6))));
        }
        // revoked five days before the cutoff, granted again the day after it
        sendAll(revokedBefore, List.of(
                track(revokedBefore, CanonicalEvents.CONSENT_UPDATED, Map.of("channel", "email", "granted", false),
                        CUTOFF.minus(Duration.ofDays(5))),
                track(revokedBefore, CanonicalEvents.CONSENT_UPDATED, Map.of("channel", "email", "granted", true),
                        CUTOFF.plus(Duration.ofDays(1)))), 3);
        sendAll(revokedAfter, List.of(track(revokedAfter, CanonicalEvents.CONSENT_UPDATED,
                Map.of("channel", "email", "granted", false), CUTOFF.plus(Duration.ofDays(1)))), 2);
        Map<String, Map<String, Object>> rows = trainingSet("clicked");
        @SuppressWarnings("unchecked")
        Map<String, Object> before = (Map<String, Object>) rows.get(revokedBefore).get("features");
        assertEquals(0.0, before.get(FeatureNames.EMAIL_CONSENT), "the later grant does not leak back");
        assertEquals(1.0, before.get(FeatureNames.SUPPRESSED));
        @SuppressWarnings("unchecked")
        Map<String, Object> after = (Map<String, Object>) rows.get(revokedAfter).get("features");
        assertEquals(1.0, after.get(FeatureNames.EMAIL_CONSENT), "granted (the default) at the cutoff");
        assertEquals(0.0, after.get(FeatureNames.SUPPRESSED));
        // the profile shows the present: granted again, and revoked
        given().get("/v1/subscribers/{id}/profile", revokedBefore).then().statusCode(200)
                .body("consent.email.granted", org.hamcrest.Matchers.equalTo(true));
        given().get("/v1/subscribers/{id}/profile", revokedAfter).then().statusCode(200)
                .body("consent.email.granted", org.hamcrest.Matchers.equalTo(false));
    }

    @Test
    void unreadableBodiesAndExtremeInstantsAreProblemsNamingTheField() {
        // a field of the wrong JSON type
        given().contentType("application/json").body("{\"asOf\":\"2026-01-01T00:00:00Z\",\"horizonDays\":\"seven\","
                + "\"label\":\"clicked\"}")
                .post("/v1/training-sets")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/horizonDays"));
        // not JSON at all
        given().contentType("application/json").body("{\"asOf\": ")
                .post("/v1/training-sets")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/"));
        // instants Instant.parse accepts but date arithmetic does not survive, and one before 1970
        for (String asOf : List.of("+1000000000-12-31T23:59:59Z", "-1000000000-01-01T00:00:00Z",
                "1969-12-31T23:59:59Z", Instant.now().plus(Duration.ofDays(3)).toString())) {
            given().contentType("application/json").body(Map.of("asOf", asOf, "horizonDays", 7, "label", "clicked"))
                    .post("/v1/training-sets")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors.pointer", hasItem("/asOf"));
        }
    }
}
