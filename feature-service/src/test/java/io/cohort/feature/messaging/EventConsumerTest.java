package io.cohort.feature.messaging;

import static io.cohort.feature.messaging.FeatureTopics.send;
import static io.cohort.feature.messaging.FeatureTopics.sendRaw;
import static io.cohort.feature.messaging.FeatureTopics.track;
import static io.cohort.feature.messaging.FeatureTopics.vectors;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.ErasureRequest;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class EventConsumerTest {

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

    private static Instant daysAgo(long days) {
        return Instant.now().minus(Duration.ofDays(days));
    }

    private static List<FeatureVector> awaitVersion(String subscriber, long version) {
        return await().atMost(WAIT).until(() -> vectors(features, subscriber),
                published -> published.stream().anyMatch(v -> v != null && v.version() == version));
    }

    @Test
    void historyBecomesTheExpectedVectorOnTheTopicAndOverHttp() {
        String user = "u-" + UUID.randomUUID();
        List<EventEnvelope> history = List.of(
                track(user, CanonicalEvents.EMAIL_DELIVERED, null, daysAgo(40)),
                track(user, CanonicalEvents.EMAIL_DELIVERED, null, daysAgo(10)),
                track(user, CanonicalEvents.EMAIL_DELIVERED, null, daysAgo(2)),
                track(user, CanonicalEvents.EMAIL_OPENED, Map.of("campaignId", "c1"), daysAgo(2)),
                track(user, CanonicalEvents.EMAIL_OPENED, Map.of("machineOpen", true), daysAgo(0)),
                track(user, CanonicalEvents.EMAIL_LINK_CLICKED, null, daysAgo(1)),
                track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 20.5, "total", 25), daysAgo(60)),
                track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("total", 7), daysAgo(3)),
                track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 100), daysAgo(100)),
                new EventEnvelope(1, UUID.randomUUID().toString(), EventType.IDENTIFY, user, null, null, null, null,
                        null, Map.of("plan", "pro"), null, daysAgo(5), null, daysAgo(5)));
        history.forEach(FeatureTopics::send);

        List<FeatureVector> published = awaitVersion(user, history.size());
        assertEquals(history.size(), published.size(), "one vector per event, versions 1.." + history.size());
        FeatureVector latest = published.get(published.size() - 1);
        assertEquals(FeatureVector.SCHEMA_VERSION, latest.schemaVersion());
        assertEquals(user, latest.subscriberId());
        Map<String, Double> f = latest.features();
        assertEquals(2.0, f.get(FeatureNames.EMAILS_DELIVERED_30D));
        assertEquals(1.0, f.get(FeatureNames.EMAILS_OPENED_30D));
        assertEquals(1.0, f.get(FeatureNames.EMAILS_CLICKED_30D));
        assertEquals(FeatureTopics.utcDaysBetween(history.get(3).timestamp(), latest.computedAt()),
                f.get(FeatureNames.DAYS_SINCE_LAST_OPEN));
        assertEquals(2.0, f.get(FeatureNames.DAYS_SINCE_LAST_OPEN), 1.0, "two days ago, give or take a midnight");
        assertEquals(2.0, f.get(FeatureNames.ORDERS_90D));
        assertEquals(27.5, f.get(FeatureNames.REVENUE_90D));

        FeatureVector overHttp = given().get("/v1/subscribers/{id}/features", user)
                .then().statusCode(200).contentType("application/json")
                .extract().as(FeatureVector.class);
        assertEquals(latest, overHttp);
    }

    @Test
    void theSameRecordTwiceCountsOnceAndRepublishesTheSameVersion() {
        String user = "u-" + UUID.randomUUID();
        EventEnvelope open = track(user, CanonicalEvents.EMAIL_OPENED, null, daysAgo(1));
        send(open);
        send(open);
        // a later, distinct event proves the consumer is past the duplicate
        send(track(user, CanonicalEvents.EMAIL_DELIVERED, null, daysAgo(1)));

        List<FeatureVector> published = awaitVersion(user, 2);
        assertEquals(List.of(1L, 1L, 2L), published.stream().map(FeatureVector::version).toList(),
                "the duplicate re-publishes version 1 and bumps nothing");
        assertEquals(published.get(0), published.get(1));
        FeatureVector latest = published.get(2);
        assertEquals(1.0, latest.features().get(FeatureNames.EMAILS_OPENED_30D));
        assertEquals(1.0, latest.features().get(FeatureNames.EMAILS_DELIVERED_30D));
        given().get("/v1/subscribers/{id}/features", user).then().statusCode(200)
                .body("version", org.hamcrest.Matchers.equalTo(2))
                .body("features.emails_opened_30d", org.hamcrest.Matchers.equalTo(1.0f));
    }

    @Test
    void poisonRecordsAreSkippedAndLaterRecordsStillProcess() {
        String user = "u-" + UUID.randomUUID();
        sendRaw(user, "{this is not json");
        sendRaw(user, "{\"messageId\":\"m-" + user + "\",\"type\":\"no-such-type\",\"userId\":\"" + user + "\"}");
        sendRaw(user, "{\"type\":\"track\",\"userId\":\"" + user + "\",\"event\":\"Email Opened\"}"); // no messageId
        sendRaw(user, null);
        send(track(user, CanonicalEvents.EMAIL_LINK_CLICKED, null, daysAgo(0)));

        List<FeatureVector> published = awaitVersion(user, 1);
        assertEquals(1, published.size(), "only the valid event produced a vector");
        assertEquals(1.0, published.get(0).features().get(FeatureNames.EMAILS_CLICKED_30D));
        assertEquals(0.0, published.get(0).features().get(FeatureNames.EMAILS_OPENED_30D));
        assertFalse(published.get(0).features().containsKey(FeatureNames.DAYS_SINCE_LAST_OPEN));
    }

    @Test
    void anonymousSubscribersAreKeyedByTheirAnonymousId() {
        String anonymous = "anon-" + UUID.randomUUID();
        EventEnvelope delivered = new EventEnvelope(1, UUID.randomUUID().toString(), EventType.TRACK, null,
                anonymous, null, CanonicalEvents.EMAIL_DELIVERED, null, null, null, null, daysAgo(3), null, null);
        send(delivered);
        List<FeatureVector> published = awaitVersion(anonymous, 1);
        assertEquals(anonymous, published.get(0).subscriberId());
        assertEquals(1.0, published.get(0).features().get(FeatureNames.EMAILS_DELIVERED_30D));
    }

    @Test
    void erasureDeletesTheSubscriberAndPublishesATombstone() throws Exception {
        String user = "u-" + UUID.randomUUID();
        send(track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 10), daysAgo(4)));
        send(track(user, CanonicalEvents.EMAIL_DELIVERED, Map.of("campaign_id", "spring"), daysAgo(3)));
        awaitVersion(user, 2);
        given().get("/v1/subscribers/{id}/features", user).then().statusCode(200);
        // the tables erasure must empty (three of them without a foreign key since V8) hold the subscriber
        for (String table : PER_SUBSCRIBER_TABLES) {
            assertTrue(rows(table, user) > 0, table + " holds the subscriber before the erasure");
        }

        TopicRecords.send(FeatureTopics.bootstrap(), Topics.ERASURE, user, FeatureTopics.json(
                new ErasureRequest(ErasureRequest.SCHEMA_VERSION, UUID.randomUUID().toString(), user, Instant.now())));

        List<FeatureVector> published = await().atMost(WAIT).until(() -> vectors(features, user),
                p -> p.stream().anyMatch(Objects::isNull));
        assertNull(published.get(published.size() - 1), "the tombstone is the last word on the subscriber");
        given().get("/v1/subscribers/{id}/features", user).then().statusCode(404);
        for (String table : PER_SUBSCRIBER_TABLES) {
            assertEquals(0, rows(table, user), table + " keeps no row of the erased subscriber");
        }

        // a later event starts a fresh profile from version 1, without the erased history
        send(track(user, CanonicalEvents.EMAIL_DELIVERED, null, daysAgo(0)));
        List<FeatureVector> after = await().atMost(WAIT).until(() -> vectors(features, user),
                p -> p.get(p.size() - 1) != null);
        FeatureVector fresh = after.get(after.size() - 1);
        assertNotNull(fresh);
        assertEquals(1L, fresh.version());
        assertEquals(0.0, fresh.features().get(FeatureNames.ORDERS_90D));
        assertEquals(1.0, fresh.features().get(FeatureNames.EMAILS_DELIVERED_30D));
        // no trace of the erased history in the timeline or the profile either
        given().get("/v1/subscribers/{id}/timeline", user).then().statusCode(200)
                .body("items.event", org.hamcrest.Matchers.contains(CanonicalEvents.EMAIL_DELIVERED));
        given().get("/v1/subscribers/{id}/profile", user).then().statusCode(200)
                .body("suppression.suppressed", org.hamcrest.Matchers.equalTo(false));
    }

    @jakarta.inject.Inject
    io.cohort.feature.persistence.FeatureStore store;

    @jakarta.inject.Inject
    FeatureVectorPublisher publisher;

    @Test
    void aVectorSentAfterItsSubscriberWasErasedIsFollowedByATombstone() {
        String user = "u-" + UUID.randomUUID();
        send(track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 10), daysAgo(2)));
        List<FeatureVector> before = awaitVersion(user, 1);
        FeatureVector computedBeforeTheErasure = before.get(before.size() - 1);
        assertNotNull(computedBeforeTheErasure);

        // the race: the erasure commits (its own tombstone not yet written) between a refresh's
        // commit and its send, so the stale vector reaches the broker after the rows are gone
        assertTrue(store.erase(user, Instant.now()));
        publisher.publishAll(List.of(computedBeforeTheErasure));

        List<FeatureVector> published = await().atMost(WAIT).until(() -> vectors(features, user),
                p -> p.size() >= before.size() + 2);
        assertEquals(computedBeforeTheErasure.version(), published.get(before.size()).version(),
                "the stale vector did reach the topic");
        assertNull(published.get(published.size() - 1),
                "a tombstone follows it, so compaction keeps nothing of the erased subscriber");
    }

    @Test
    void vectorsOfExistingSubscribersGetNoTombstone() {
        String user = "u-" + UUID.randomUUID();
        send(track(user, CanonicalEvents.EMAIL_DELIVERED, null, daysAgo(1)));
        List<FeatureVector> before = awaitVersion(user, 1);
        publisher.publishAll(List.of(before.get(before.size() - 1)));
        // a later event's vector follows anything publishAll wrote on the subscriber's partition
        send(track(user, CanonicalEvents.EMAIL_DELIVERED, null, daysAgo(0)));
        List<FeatureVector> published = awaitVersion(user, 2);
        assertEquals(before.size() + 2, published.size(), "the re-sent vector and the new one, nothing else");
        assertTrue(published.stream().allMatch(Objects::nonNull), "no tombstone for a subscriber that still exists");
    }

    private static final List<String> PER_SUBSCRIBER_TABLES =
            List.of("subscriber", "daily_activity", "recent_event", "recent_send");

    @jakarta.inject.Inject
    javax.sql.DataSource dataSource;

    private long rows(String table, String subscriber) throws java.sql.SQLException {
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement s = c.prepareStatement(
                "select count(*) from feature." + table + " where subscriber_id = ?")) {
            s.setString(1, subscriber);
            try (java.sql.ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
