package io.cohort.feature.messaging;

import static io.cohort.feature.messaging.FeatureTopics.send;
import static io.cohort.feature.messaging.FeatureTopics.track;
import static io.cohort.feature.messaging.FeatureTopics.vectors;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.feature.domain.RefreshPace;
import io.cohort.feature.persistence.SubscriberRepository.RecomputeBacklog;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With coalescing on, a burst of events becomes one publish per subscriber per refresh. */
@QuarkusTest
@TestProfile(CoalescingTest.Coalescing.class)
@QuarkusTestResource(DevStackTestResource.class)
class CoalescingTest {

    public static class Coalescing implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // small refresh batches, so a test can tell one batch from several
            return Map.of("cohort.feature.coalesce.enabled", "true", "cohort.feature.sweep.batch-size", "3");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TopicRecords features;

    @Inject
    AccountRefresh refresh;

    @Inject
    DataSource dataSource;

    @Inject
    RecomputeBacklogMetrics backlog;

    @BeforeAll
    static void readFeatures() {
        features = new TopicRecords(FeatureTopics.bootstrap(), Topics.FEATURES);
    }

    @AfterAll
    static void close() {
        features.close();
    }

    @Test
    void aBurstIsPublishedOnceWithEveryEventApplied() throws Exception {
        String user = "u-" + UUID.randomUUID();
        List<EventEnvelope> burst = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            burst.add(track(user, CanonicalEvents.EMAIL_DELIVERED, Map.of("campaignId", "b" + i),
                    Instant.now().minusSeconds(60L * i)));
        }
        burst.add(track(user, CanonicalEvents.EMAIL_OPENED, Map.of("campaignId", "b0"), Instant.now()));
        burst.forEach(FeatureTopics::send);
        send(burst.get(3)); // a redelivery inside the burst
        await().atMost(WAIT).until(() -> delivered(user) == 25 && opened(user) == 1);
        assertEquals(List.of(), vectors(features, user), "nothing is published before the refresh");

        refresh.refreshOnce();
        List<FeatureVector> published = await().atMost(WAIT).until(() -> vectors(features, user), p -> !p.isEmpty());
        assertEquals(1, published.size(), "one publish for the whole burst");
        FeatureVector vector = published.get(0);
        assertEquals(1L, vector.version());
        assertEquals(25.0, vector.features().get(FeatureNames.EMAILS_DELIVERED_30D));
        assertEquals(1.0, vector.features().get(FeatureNames.EMAILS_OPENED_30D));
        assertEquals(1.0, vector.features().get(FeatureNames.ENGAGED_SENDS_LAST_5), "b0 is among the newest 5");
        assertEquals(FeatureTopics.utcDaysBetween(burst.get(25).timestamp(), vector.computedAt()),
                vector.features().get(FeatureNames.DAYS_SINCE_LAST_OPEN), "the batch advanced the last open");
        // first seen 24 minutes before the newest event: today, or yesterday when the test straddles UTC midnight
        assertEquals(FeatureTopics.utcDaysBetween(burst.get(24).timestamp(), vector.computedAt()),
                vector.features().get(FeatureNames.TENURE_DAYS));
        given().get("/v1/subscribers/{id}/features", user).then().statusCode(200).body("version", equalTo(1));
        // the deferred bookkeeping of the batch path: the timeline keeps the newest 5 (test config), the
        // sends table the newest 5 sends
        given().get("/v1/subscribers/{id}/timeline", user).then().statusCode(200)
                .body("items.size()", equalTo(5))
                .body("items[0].event", equalTo(CanonicalEvents.EMAIL_OPENED));
        assertEquals(5, rows("select count(*) from feature.recent_send where subscriber_id = ?", user));
        assertEquals(5, rows("select count(*) from feature.recent_event where subscriber_id = ?", user));

        // nothing new: another refresh publishes nothing; a duplicate marks nothing
        send(burst.get(0));
        EventEnvelope click = track(user, CanonicalEvents.EMAIL_LINK_CLICKED, Map.of("campaignId", "b1"), Instant.now());
        send(click);
        await().atMost(WAIT).until(() -> clicked(user) == 1);
        refresh.refreshOnce();
        List<FeatureVector> after = await().atMost(WAIT).until(() -> vectors(features, user), p -> p.size() >= 2);
        assertEquals(2, after.size());
        assertEquals(2L, after.get(1).version());
        assertEquals(25.0, after.get(1).features().get(FeatureNames.EMAILS_DELIVERED_30D));
        assertEquals(1.0, after.get(1).features().get(FeatureNames.EMAILS_CLICKED_30D));
        assertEquals(FeatureTopics.utcDaysBetween(click.timestamp(), after.get(1).computedAt()),
                after.get(1).features().get(FeatureNames.DAYS_SINCE_LAST_CLICK));
        refresh.refreshOnce();
        given().get("/v1/subscribers/{id}/features", user).then().statusCode(200).body("version", equalTo(2));
    }

    /** The set-based batch path folds profile, account, intent, consent and category changes as one by one would. */
    @Test
    void aMixedBurstAppliesProfilesAccountsIntentAndCategories() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String account = "acct-" + UUID.randomUUID();
        Instant now = Instant.now();
        List<EventEnvelope> burst = List.of(
                new EventEnvelope(1, UUID.randomUUID().toString(), EventType.GROUP, user, null, account, null, null,
                        null, Map.of("tier", 2), null, now.minusSeconds(600), null, now.minusSeconds(600)),
                track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 30, "category", "Jazz"),
                        now.minusSeconds(540)),
                track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 10, "category", "jazz"),
                        now.minusSeconds(480)),
                track(user, CanonicalEvents.INTENT_SIGNAL, Map.of("topic", "pricing"), now.minusSeconds(420)),
                track(user, CanonicalEvents.INTENT_SIGNAL, Map.of("topic", "Pricing", "strength", 3),
                        now.minusSeconds(420)),
                track(user, CanonicalEvents.CONSENT_UPDATED, Map.of("channel", "email", "granted", false),
                        now.minusSeconds(360)),
                track(user, CanonicalEvents.EMAIL_DELIVERED, Map.of("campaignId", "m1"), now.minusSeconds(360)));
        burst.forEach(FeatureTopics::send);
        await().atMost(WAIT).until(() -> sum(user, "orders") == 2 && delivered(user) == 1
                && rows("select count(*) from feature.consent where subscriber_id = ?", user) == 1
                && rows("select coalesce(sum(signals), 0) from feature.account_intent_daily where subscriber_id = ?",
                        user) == 2);

        refresh.refreshOnce();
        FeatureVector vector = await().atMost(WAIT).until(() -> vectors(features, user), p -> !p.isEmpty()).get(0);
        Map<String, Double> f = vector.features();
        assertEquals(2.0, f.get(FeatureNames.ACCOUNT_TIER));
        assertEquals(2.0, f.get(FeatureNames.ACCOUNT_INTENT_30D_PREFIX + "pricing"));
        assertEquals(2.0, f.get(FeatureNames.ACCOUNT_INTENT_SIGNALS_30D));
        assertEquals(1.0, f.get(FeatureNames.ACCOUNT_CONTACTS));
        assertEquals(2.0, f.get(FeatureNames.ORDERS_365D));
        assertEquals(40.0, f.get(FeatureNames.REVENUE_365D));
        assertEquals(FeatureTopics.utcDaysBetween(burst.get(2).timestamp(), vector.computedAt()),
                f.get(FeatureNames.DAYS_SINCE_LAST_ORDER));
        assertEquals(1.0, f.get(FeatureNames.CATEGORY_SHARE_90D_PREFIX + "jazz"));
        assertEquals(0.0, f.get(FeatureNames.EMAIL_CONSENT));
        assertEquals(1.0, f.get(FeatureNames.SUPPRESSED));
        assertEquals(account, vector.labelsOrEmpty().get(FeatureNames.ACCOUNT_ID));
        assertEquals(5, rows("select count(*) from feature.recent_event where subscriber_id = ?", user),
                "the timeline keeps the newest 5 (test config) of the 7");
    }

    /** The backlog gauges say how many subscribers wait for their vector and for how long, until the refresh. */
    @Test
    void theBacklogGaugesShowMarkedSubscribersUntilTheRefreshPublishesThem() throws Exception {
        String user = "u-" + UUID.randomUUID();
        Instant before = Instant.now();
        send(track(user, CanonicalEvents.EMAIL_OPENED, Map.of("campaignId", "g1"), before.minusSeconds(30)));
        await().atMost(WAIT).until(() -> opened(user) == 1);

        RecomputeBacklog waiting = backlog.readNow();
        assertTrue(waiting.pending() >= 1, "the new subscriber is marked");
        assertNotNull(waiting.oldestMark());
        assertFalse(waiting.oldestMark().isAfter(Instant.now()), "marked when applied, not later");
        assertEquals((double) waiting.pending(), metric("cohort_feature_vectors_pending"));
        assertTrue(metric("cohort_feature_vectors_pending_oldest_seconds") >= 0);

        refresh.refreshOnce();
        await().atMost(WAIT).until(() -> vectors(features, user), p -> !p.isEmpty());
        RecomputeBacklog drained = backlog.readNow();
        assertEquals(0, drained.pending(), "the refresh published every marked subscriber");
        assertNull(drained.oldestMark());
        assertEquals(0.0, metric("cohort_feature_vectors_pending"));
        assertEquals(0.0, metric("cohort_feature_vectors_pending_oldest_seconds"));
    }

    /** While consuming, a run stops at its budget unless it still claims marks older than the maximum wait. */
    @Test
    void aRunGoesPastItsBudgetOnlyForMarksOlderThanTheMaximumWait() throws Exception {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String user = "u-" + UUID.randomUUID();
            users.add(user);
            send(track(user, CanonicalEvents.EMAIL_OPENED, Map.of("campaignId", "w" + i), Instant.now()));
        }
        await().atMost(WAIT).until(() -> users.stream().allMatch(u -> uncheckedOpened(u) == 1));
        assertTrue(backlog.readNow().pending() >= 7);

        assertEquals(3, refresh.refresh(new RefreshPace(Duration.ZERO, Duration.ofHours(1))),
                "fresh marks: one batch of 3, then the (zero) budget stops the run");
        int rest = refresh.refresh(new RefreshPace(Duration.ZERO, Duration.ZERO));
        assertTrue(rest >= 4, "marks older than the maximum wait: batch after batch past the budget, got " + rest);
        assertEquals(0, backlog.readNow().pending());
        for (String user : users) {
            await().atMost(WAIT).until(() -> vectors(features, user), p -> p.size() == 1);
        }
    }

    private long uncheckedOpened(String user) {
        try {
            return opened(user);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double metric(String name) {
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(scrape);
        assertTrue(m.find(), name + " is exported");
        return Double.parseDouble(m.group(2));
    }

    private long delivered(String user) throws SQLException {
        return sum(user, "delivered");
    }

    private long opened(String user) throws SQLException {
        return sum(user, "opened");
    }

    private long clicked(String user) throws SQLException {
        return sum(user, "clicked");
    }

    private long rows(String sql, String user) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, user);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private long sum(String user, String column) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select coalesce(sum(" + column + "), 0) from feature.daily_activity where subscriber_id = ?")) {
            s.setString(1, user);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
