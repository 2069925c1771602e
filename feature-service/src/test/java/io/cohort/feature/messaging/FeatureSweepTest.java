package io.cohort.feature.messaging;

import static io.cohort.feature.messaging.FeatureTopics.send;
import static io.cohort.feature.messaging.FeatureTopics.track;
import static io.cohort.feature.messaging.FeatureTopics.vectors;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.feature.AdjustableClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class FeatureSweepTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TopicRecords features;

    @Inject
    AdjustableClock clock;

    @Inject
    FeatureSweep sweep;

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

    private static FeatureVector awaitVersion(String subscriber, long version) {
        List<FeatureVector> published = await().atMost(WAIT).until(() -> vectors(features, subscriber),
                p -> p.stream().anyMatch(v -> v != null && v.version() == version));
        return published.stream().filter(v -> v.version() == version).findFirst().orElseThrow();
    }

    @Test
    void aDayLaterTheSweepRepublishesSlidWindowsWithoutANewEvent() {
        String user = "u-" + UUID.randomUUID();
        Instant now = Instant.now();
        send(track(user, CanonicalEvents.EMAIL_DELIVERED, null, now.minus(Duration.ofDays(29))));
        send(track(user, CanonicalEvents.EMAIL_OPENED, Map.of(), now.minus(Duration.ofDays(2))));
        FeatureVector before = awaitVersion(user, 2);
        assertEquals(1.0, before.features().get(FeatureNames.EMAILS_DELIVERED_30D));
        assertEquals(2.0, before.features().get(FeatureNames.DAYS_SINCE_LAST_OPEN));

        // the same day, nothing is stale: the sweep leaves the vector alone
        sweep.sweepOnce();
        given().get("/v1/subscribers/{id}/features", user).then().statusCode(200).body("version", equalTo(2));

        clock.advance(Duration.ofDays(1));
        assertTrue(sweep.sweepOnce() >= 1);
        FeatureVector after = awaitVersion(user, 3);
        assertEquals(0.0, after.features().get(FeatureNames.EMAILS_DELIVERED_30D), "the delivery slid out");
        assertEquals(3.0, after.features().get(FeatureNames.DAYS_SINCE_LAST_OPEN));
        assertEquals(1.0, after.features().get(FeatureNames.EMAILS_OPENED_30D));
        assertTrue(after.computedAt().isAfter(before.computedAt().plus(Duration.ofHours(23))));
        FeatureVector overHttp = given().get("/v1/subscribers/{id}/features", user).then().statusCode(200)
                .extract().as(FeatureVector.class);
        assertEquals(after, overHttp);

        // swept once for that day: another run claims nothing of it and publishes no new version
        sweep.sweepOnce();
        given().get("/v1/subscribers/{id}/features", user).then().statusCode(200).body("version", equalTo(3));

        // an event on the new day continues from the swept version
        send(track(user, CanonicalEvents.EMAIL_LINK_CLICKED, null, Instant.now()));
        FeatureVector clicked = awaitVersion(user, 4);
        assertEquals(1.0, clicked.features().get(FeatureNames.EMAILS_CLICKED_30D));
        assertEquals(3.0, clicked.features().get(FeatureNames.DAYS_SINCE_LAST_OPEN));
    }

    @Test
    void messageIdsArePurgedOnceTheDedupWindowHasPassed() throws Exception {
        String user = "u-" + UUID.randomUUID();
        var event = track(user, CanonicalEvents.EMAIL_DELIVERED, null, Instant.now());
        send(event);
        awaitVersion(user, 1);
        assertEquals(1, claims(event.messageId()));

        // within the window (35 days by default) the id is kept: a redelivery would still be dropped
        clock.advance(Duration.ofDays(34));
        sweep.purgeOldMessageIds();
        assertEquals(1, claims(event.messageId()));

        clock.advance(Duration.ofDays(2));
        assertTrue(sweep.purgeOldMessageIds() >= 1);
        assertEquals(0, claims(event.messageId()));
    }

    @Test
    void intentRowsOlderThanTheirWindowArePurged() throws Exception {
        String account = "acct-" + UUID.randomUUID();
        java.time.LocalDate today = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
        for (int daysAgo : List.of(2, 30, 35, 36, 90)) {
            try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement s = c.prepareStatement(
                    "insert into feature.account_intent_daily (account_id, day, topic, signals) values (?, ?, 'pricing', 1)")) {
                s.setString(1, account);
                s.setObject(2, today.minusDays(daysAgo));
                s.executeUpdate();
            }
        }
        assertTrue(sweep.purgeOldIntentRows() >= 2);
        // the 30-day window reads days -29..0; a few days beyond it are kept, older ones go
        assertEquals(List.of(today.minusDays(35), today.minusDays(30), today.minusDays(2)), intentDays(account));
        assertEquals(0, sweep.purgeOldIntentRows(), "nothing old is left");
    }

    private List<java.time.LocalDate> intentDays(String account) throws java.sql.SQLException {
        List<java.time.LocalDate> days = new java.util.ArrayList<>();
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement s = c.prepareStatement(
                "select day from feature.account_intent_daily where account_id = ? order by day")) {
            s.setString(1, account);
            try (java.sql.ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    days.add(r.getObject(1, java.time.LocalDate.class));
                }
            }
        }
        return days;
    }

    @Inject
    javax.sql.DataSource dataSource;

    private long claims(String messageId) throws java.sql.SQLException {
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement s = c.prepareStatement(
                "select count(*) from feature.processed_event where message_id = ?")) {
            s.setString(1, messageId);
            try (java.sql.ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
