package io.cohort.feature.messaging;

import static io.cohort.feature.messaging.FeatureTopics.send;
import static io.cohort.feature.messaging.FeatureTopics.track;
import static io.cohort.feature.messaging.FeatureTopics.vectors;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cohort.contracts.CanonicalEvents;
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
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class ProfileAndAggregatesTest {

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
        // PostgreSQL keeps microseconds; millisecond times read back exactly
        return Instant.now().minus(Duration.ofDays(days)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private static EventEnvelope call(EventType type, String user, String accountId, String name,
            Map<String, Object> properties, Map<String, Object> traits, Map<String, Object> context, Instant at) {
        return new EventEnvelope(EventEnvelope.SCHEMA_VERSION, UUID.randomUUID().toString(), type, user, null,
                accountId, null, name, properties, traits, context, at, null, at);
    }

    private static FeatureVector awaitVersion(String subscriber, long version) {
        List<FeatureVector> published = await().atMost(WAIT).until(() -> vectors(features, subscriber),
                p -> p.stream().anyMatch(v -> v != null && v.version() == version));
        return published.stream().filter(v -> v.version() == version).findFirst().orElseThrow();
    }

    @Test
    void profileSuppressionAndWindowedAggregatesFromOneHistory() {
        String user = "u-" + UUID.randomUUID();
        List<EventEnvelope> history = List.of(
                call(EventType.IDENTIFY, user, null, null, null, Map.of("plan", "pro", "firstName", "Ada"),
                        Map.of("timezone", "Europe/Berlin"), daysAgo(200)),
                call(EventType.GROUP, user, "acme", null, null, Map.of("industry", "retail"), null, daysAgo(19)),
                track(user, CanonicalEvents.EMAIL_SENT, null, daysAgo(3)),
                track(user, CanonicalEvents.EMAIL_SENT, null, daysAgo(10)),
                track(user, CanonicalEvents.EMAIL_SENT, null, daysAgo(40)),
                track(user, CanonicalEvents.EMAIL_OPENED, null, daysAgo(3)),
                track(user, CanonicalEvents.EMAIL_OPENED, null, daysAgo(3)),
                track(user, CanonicalEvents.EMAIL_OPENED, Map.of("machineOpen", true), daysAgo(3)),
                track(user, CanonicalEvents.EMAIL_LINK_CLICKED, null, daysAgo(2)),
                track(user, CanonicalEvents.EMAIL_REPLIED, null, daysAgo(1)),
                track(user, CanonicalEvents.EMAIL_BOUNCED, Map.of("bounceType", "soft"), daysAgo(1)),
                call(EventType.PAGE, user, null, "Pricing", Map.of("url", "https://shop.example/pricing"), null,
                        null, daysAgo(1)),
                call(EventType.PAGE, user, null, "Home", Map.of("url", "https://shop.example/"), null, null,
                        daysAgo(1)),
                track(user, CanonicalEvents.PRODUCT_VIEWED, Map.of("productId", "p1"), daysAgo(1)),
                track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 30), daysAgo(100)),
                track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 10), daysAgo(5)),
                track(user, CanonicalEvents.CONSENT_UPDATED, Map.of("channel", "email", "granted", false),
                        daysAgo(1)));
        history.forEach(FeatureTopics::send);

        FeatureVector vector = awaitVersion(user, history.size());
        Map<String, Double> f = vector.features();
        assertEquals(1.0, f.get(FeatureNames.EMAILS_SENT_7D));
        assertEquals(2.0, f.get(FeatureNames.EMAILS_SENT_30D));
        assertEquals(3.0, f.get(FeatureNames.EMAILS_SENT_90D));
        assertEquals(2.0, f.get(FeatureNames.EMAILS_OPENED_7D), "the machine open does not count");
        assertEquals(2.0, f.get(FeatureNames.EMAILS_OPENED_90D));
        assertEquals(1.0, f.get(FeatureNames.EMAILS_CLICKED_7D));
        assertEquals(0.5, f.get(FeatureNames.CLICK_TO_OPEN_30D));
        assertEquals(1.0, f.get(FeatureNames.EMAILS_REPLIED_30D));
        assertEquals(FeatureTopics.utcDaysBetween(history.get(8).timestamp(), vector.computedAt()),
                f.get(FeatureNames.DAYS_SINCE_LAST_CLICK));
        assertEquals(FeatureTopics.utcDaysBetween(history.get(15).timestamp(), vector.computedAt()),
                f.get(FeatureNames.DAYS_SINCE_LAST_ORDER));
        assertEquals(1.0, f.get(FeatureNames.ORDERS_90D));
        assertEquals(2.0, f.get(FeatureNames.ORDERS_365D));
        assertEquals(40.0, f.get(FeatureNames.REVENUE_365D));
        assertEquals(20.0, f.get(FeatureNames.AVERAGE_ORDER_VALUE_365D));
        assertEquals(2.0, f.get(FeatureNames.PAGE_VIEWS_30D));
        assertEquals(1.0, f.get(FeatureNames.PRICING_PAGE_VIEWS_30D));
        assertEquals(FeatureTopics.utcDaysBetween(history.get(0).timestamp(), vector.computedAt()),
                f.get(FeatureNames.TENURE_DAYS));
        assertEquals(0.0, f.get(FeatureNames.HARD_BOUNCED), "a soft bounce does not suppress");
        assertEquals(0.0, f.get(FeatureNames.UNSUBSCRIBED));
        assertEquals(0.0, f.get(FeatureNames.EMAIL_CONSENT));
        assertEquals(1.0, f.get(FeatureNames.SUPPRESSED), "revoked consent suppresses");

        given().get("/v1/subscribers/{id}/profile", user).then().statusCode(200)
                .contentType("application/json")
                .body("subscriberId", equalTo(user))
                .body("traits.plan", equalTo("pro"))
                .body("traits.firstName", equalTo("Ada"))
                .body("traits.industry", nullValue()) // account traits are not the person's
                .body("timezone", equalTo("Europe/Berlin"))
                .body("accountId", equalTo("acme"))
                .body("consent.email.granted", equalTo(false))
                .body("suppression.suppressed", equalTo(true))
                .body("suppression.emailConsent", equalTo(false))
                .body("suppression.unsubscribed", equalTo(false))
                .body("suppression.hardBounced", equalTo(false))
                .body("firstSeen", equalTo(history.get(0).timestamp().toString()))
                .body("lastSeen", equalTo(history.stream().map(EventEnvelope::timestamp)
                        .max(Instant::compareTo).orElseThrow().toString()));

        // consent granted again, then a stale revocation arrives late: the latest by event time wins
        send(track(user, CanonicalEvents.CONSENT_UPDATED, Map.of("channel", "email", "granted", true), daysAgo(0)));
        send(track(user, CanonicalEvents.CONSENT_UPDATED, Map.of("channel", "email", "granted", false),
                daysAgo(4)));
        Map<String, Double> regranted = awaitVersion(user, history.size() + 2).features();
        assertEquals(1.0, regranted.get(FeatureNames.EMAIL_CONSENT));
        assertEquals(0.0, regranted.get(FeatureNames.SUPPRESSED));

        send(track(user, CanonicalEvents.EMAIL_BOUNCED, Map.of("bounceType", "Permanent"), daysAgo(0)));
        send(track(user, CanonicalEvents.UNSUBSCRIBED, null, daysAgo(0)));
        send(track(user, CanonicalEvents.EMAIL_MARKED_AS_SPAM, null, daysAgo(0)));
        Map<String, Double> suppressed = awaitVersion(user, history.size() + 5).features();
        assertEquals(1.0, suppressed.get(FeatureNames.HARD_BOUNCED));
        assertEquals(1.0, suppressed.get(FeatureNames.UNSUBSCRIBED));
        assertEquals(1.0, suppressed.get(FeatureNames.COMPLAINED));
        assertEquals(1.0, suppressed.get(FeatureNames.EMAIL_CONSENT));
        assertEquals(1.0, suppressed.get(FeatureNames.SUPPRESSED));
        given().get("/v1/subscribers/{id}/profile", user).then().statusCode(200)
                .body("suppression.unsubscribed", equalTo(true))
                .body("suppression.complained", equalTo(true))
                .body("suppression.hardBounced", equalTo(true))
                .body("suppression.suppressed", equalTo(true))
                .body("consent.email.granted", equalTo(true));
    }

    @Test
    void unknownProfileIsA404AndErasureRemovesIt() {
        given().get("/v1/subscribers/{id}/profile", "nobody-" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/v1/subscribers/{id}/profile", "x".repeat(300)).then().statusCode(400)
                .body("errors.pointer", hasItem("/id"));

        String user = "u-" + UUID.randomUUID();
        send(call(EventType.IDENTIFY, user, null, null, null, Map.of("plan", "pro"), null, daysAgo(1)));
        send(track(user, CanonicalEvents.CONSENT_UPDATED, Map.of("channel", "sms", "granted", true), daysAgo(1)));
        awaitVersion(user, 2);
        given().get("/v1/subscribers/{id}/profile", user).then().statusCode(200)
                .body("consent.sms.granted", equalTo(true))
                .body("suppression.emailConsent", equalTo(true));
        TopicRecords.send(FeatureTopics.bootstrap(), Topics.ERASURE, user, FeatureTopics.json(
                new io.cohort.contracts.ErasureRequest(io.cohort.contracts.ErasureRequest.SCHEMA_VERSION,
                        UUID.randomUUID().toString(), user, Instant.now())));
        await().atMost(WAIT).untilAsserted(() ->
                given().get("/v1/subscribers/{id}/profile", user).then().statusCode(404));
    }
}
