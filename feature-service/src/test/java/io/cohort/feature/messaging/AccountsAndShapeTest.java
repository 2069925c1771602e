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
import io.cohort.feature.domain.Rfm;
import io.cohort.feature.persistence.FeatureStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Accounts (ABM), engaged sends, RFM scores, replay, erasure of every new table, data quality. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class AccountsAndShapeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TopicRecords features;

    @Inject
    AccountRefresh accountRefresh;

    @Inject
    FeatureStore store;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void readFeatures() {
        features = new TopicRecords(FeatureTopics.bootstrap(), Topics.FEATURES);
    }

    @AfterAll
    static void close() {
        features.close();
    }

    private static Instant ago(long hours) {
        return Instant.now().minus(Duration.ofHours(hours));
    }

    private static FeatureVector awaitVersion(String subscriber, long version) {
        List<FeatureVector> published = await().atMost(WAIT).until(() -> vectors(features, subscriber),
                p -> p.stream().anyMatch(v -> v != null && v.version() == version));
        return published.stream().filter(v -> v != null && v.version() == version).findFirst().orElseThrow();
    }

    private static FeatureVector current(String subscriber) {
        return given().get("/v1/subscribers/{id}/features", subscriber).then().statusCode(200)
                .extract().as(FeatureVector.class);
    }

    private static EventEnvelope group(String user, String account, Map<String, Object> traits, Instant at) {
        return new EventEnvelope(1, UUID.randomUUID().toString(), EventType.GROUP, user, null, account, null, null,
                null, traits, null, at, null, at);
    }

    private static EventEnvelope page(String user, String name, Map<String, Object> context, Instant at) {
        return new EventEnvelope(1, UUID.randomUUID().toString(), EventType.PAGE, user, null, null, null, name,
                Map.of("path", "/" + name.toLowerCase()), null, context, at, null, at);
    }

    private static EventEnvelope campaignEvent(String user, String event, String campaign, Instant at,
            boolean machine) {
        Map<String, Object> properties = machine ? Map.of("campaignId", campaign, "machineOpen", true)
                : Map.of("campaignId", campaign);
        return track(user, event, properties, at);
    }

    /** The worked example: a tier-1 target account, a contact with 2 engaged of 5 sends, pricing intent. */
    @Test
    void theWorkedExampleAccountIsVisibleOnEveryContact() {
        String account = "acct-" + UUID.randomUUID();
        String alice = "u-" + UUID.randomUUID();
        String bob = "u-" + UUID.randomUUID();
        List<EventEnvelope> aliceEvents = new ArrayList<>();
        aliceEvents.add(group(alice, account, Map.of("name", "Acme", "tier", 1, "target", true), ago(100)));
        for (int c = 1; c <= 6; c++) {
            aliceEvents.add(campaignEvent(alice, CanonicalEvents.EMAIL_SENT, "c" + c, ago(90 - 10 * c), false));
        }
        aliceEvents.add(campaignEvent(alice, CanonicalEvents.EMAIL_OPENED, "c1", ago(20), false)); // not in last 5
        aliceEvents.add(campaignEvent(alice, CanonicalEvents.EMAIL_OPENED, "c3", ago(20), false));
        aliceEvents.add(campaignEvent(alice, CanonicalEvents.EMAIL_OPENED, "c3", ago(19), false)); // same send
        aliceEvents.add(campaignEvent(alice, CanonicalEvents.EMAIL_LINK_CLICKED, "c5", ago(10), false));
        aliceEvents.add(campaignEvent(alice, CanonicalEvents.EMAIL_OPENED, "c6", ago(5), true)); // machine
        aliceEvents.forEach(FeatureTopics::send);
        FeatureVector a = awaitVersion(alice, aliceEvents.size());
        assertEquals(2.0, a.features().get(FeatureNames.ENGAGED_SENDS_LAST_5));
        assertEquals(1.0, a.features().get(FeatureNames.ACCOUNT_TIER));
        assertEquals(1.0, a.features().get(FeatureNames.ACCOUNT_TARGET));
        assertEquals(1.0, a.features().get(FeatureNames.ACCOUNT_CONTACTS));
        assertEquals(0.0, a.features().get(FeatureNames.ACCOUNT_PRICING_INTENT_30D));
        assertEquals(account, a.labelsOrEmpty().get(FeatureNames.ACCOUNT_ID));

        // bob joins the account (accountId on a page call) and views the pricing page from a phone
        send(new EventEnvelope(1, UUID.randomUUID().toString(), EventType.PAGE, bob, null, account, null, "Pricing",
                Map.of("path", "/pricing"), null, Map.of("device", Map.of("type", "mobile"),
                "timezone", "Europe/Berlin"), ago(2), null, ago(2)));
        FeatureVector b = awaitVersion(bob, 1);
        assertEquals(2.0, b.features().get(FeatureNames.ACCOUNT_CONTACTS));
        assertEquals(1.0, b.features().get(FeatureNames.ACCOUNT_PRICING_INTENT_30D));
        assertEquals(1.0, b.features().get(FeatureNames.ACCOUNT_TIER), "account traits reach every contact");
        assertEquals(1.0, b.features().get(FeatureNames.MOBILE_SHARE_90D));
        assertEquals("Europe/Berlin", b.labelsOrEmpty().get(FeatureNames.TIMEZONE));

        // the account changed: the refresh republishes alice, and the worked example holds for her
        assertTrue(accountRefresh.refreshOnce() >= 1);
        FeatureVector refreshed = awaitVersion(alice, aliceEvents.size() + 1);
        Map<String, Double> f = refreshed.features();
        assertTrue(f.get(FeatureNames.ACCOUNT_TIER) == 1 && f.get(FeatureNames.ACCOUNT_TARGET) == 1
                && f.get(FeatureNames.ENGAGED_SENDS_LAST_5) >= 2 && f.get(FeatureNames.ACCOUNT_PRICING_INTENT_30D) >= 1,
                f.toString());
        assertEquals(2.0, f.get(FeatureNames.ACCOUNT_CONTACTS));
        assertEquals(2.0, f.get(FeatureNames.ACCOUNT_ENGAGED_CONTACTS_30D), "alice opened, bob viewed a page");
        assertEquals(refreshed, current(alice));

        // an intent signal about pricing re-publishes both contacts
        send(track(bob, CanonicalEvents.INTENT_SIGNAL, Map.of("topic", "Pricing", "strength", 0.9), ago(1)));
        awaitVersion(bob, 2);
        accountRefresh.refreshOnce();
        FeatureVector withIntent = awaitVersion(alice, aliceEvents.size() + 2);
        assertEquals(1.0, withIntent.features().get(FeatureNames.ACCOUNT_INTENT_30D_PREFIX + "pricing"));
        assertEquals(1.0, withIntent.features().get(FeatureNames.ACCOUNT_INTENT_SIGNALS_30D));
        assertEquals(2.0, withIntent.features().get(FeatureNames.ACCOUNT_PRICING_INTENT_30D));
        // nothing changed since: another refresh publishes nothing new
        accountRefresh.refreshOnce();
        assertEquals(withIntent.version(), current(alice).version());

        given().get("/v1/accounts/{id}/features", account).then().statusCode(200)
                .body("accountId", equalTo(account))
                .body("tier", equalTo(1))
                .body("target", equalTo(true))
                .body("traits.name", equalTo("Acme"))
                .body("contacts", equalTo(2))
                .body("engagedContacts30d", equalTo(2))
                .body("intentByTopic30d.pricing", equalTo(1))
                .body("pricingIntent30d", equalTo(2))
                .body("features.account_tier", equalTo(1.0f));
        given().get("/v1/accounts/{id}/features", "no-such-" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("title", equalTo("Account not found"));
        given().get("/v1/accounts/{id}/features", "x".repeat(300)).then().statusCode(400)
                .contentType("application/problem+json");
    }

    /** Replaying the same events gives identical features, in any order, and duplicates change nothing. */
    @Test
    void replayingTheSameHistoryGivesIdenticalFeatures() {
        String first = "u-" + UUID.randomUUID();
        String second = "u-" + UUID.randomUUID();
        List<EventEnvelope> history = List.of(
                campaignEvent(first, CanonicalEvents.EMAIL_DELIVERED, "k1", ago(24 * 40), false),
                campaignEvent(first, CanonicalEvents.EMAIL_OPENED, "k1", ago(24 * 40 - 2), false),
                campaignEvent(first, CanonicalEvents.EMAIL_DELIVERED, "k2", ago(24 * 3), false),
                campaignEvent(first, CanonicalEvents.EMAIL_OPENED, "k2", ago(24 * 3 - 1), true),
                track(first, CanonicalEvents.PRODUCT_VIEWED, Map.of("category", "Jazz"), ago(30)),
                track(first, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 12.5, "products",
                        List.of(Map.of("category", "Jazz"), Map.of("category", "Rock"))), ago(29)),
                page(first, "Home", Map.of("userAgent", "Mozilla/5.0 (Windows NT 10.0)"), ago(28)));
        history.forEach(FeatureTopics::send);
        FeatureVector once = awaitVersion(first, history.size());
        history.forEach(FeatureTopics::send); // the same messages again
        send(track(first, "Some Custom Event", null, ago(1))); // marks the end of the replay
        FeatureVector twice = awaitVersion(first, history.size() + 1);
        assertEquals(once.features(), twice.features(), "redelivered events are ignored");
        assertEquals(once.labels(), twice.labels());

        // the same history (new message ids) for another subscriber, newest first
        List<EventEnvelope> reversed = new ArrayList<>();
        for (EventEnvelope e : history) {
            reversed.add(new EventEnvelope(1, UUID.randomUUID().toString(), e.type(), second, null, e.accountId(),
                    e.event(), e.name(), e.properties(), e.traits(), e.context(), e.timestamp(), null,
                    e.receivedAt()));
        }
        Collections.reverse(reversed);
        reversed.forEach(FeatureTopics::send);
        FeatureVector other = awaitVersion(second, history.size());
        Map<String, Double> expected = new LinkedHashMap<>(once.features());
        Map<String, Double> actual = new LinkedHashMap<>(other.features());
        assertEquals(expected, actual, "the order of arrival does not matter");
        assertEquals(1.0, actual.get(FeatureNames.ENGAGED_SENDS_LAST_5), "k1 engaged; k2 only a machine open");
        assertEquals(2.0 / 3, actual.get(FeatureNames.CATEGORY_SHARE_90D_PREFIX + "jazz"), 1e-12);
        assertEquals(0.0, actual.get(FeatureNames.MOBILE_SHARE_90D));
    }

    @Test
    void rfmScoresFollowTheStoredBoundariesOfTheCustomerBase() {
        String buyer = "u-" + UUID.randomUUID();
        send(track(buyer, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 1_000_000), ago(1)));
        send(track(buyer, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 1_000_000), ago(1)));
        FeatureVector before = awaitVersion(buyer, 2);
        Rfm.Boundaries boundaries = store.refreshRfm();
        assertNotNull(boundaries);
        // any later event is scored against the stored boundaries
        send(track(buyer, CanonicalEvents.EMAIL_DELIVERED, null, ago(0)));
        FeatureVector scored = awaitVersion(buyer, before.version() + 1);
        assertEquals(2.0, scored.features().get(FeatureNames.RFM_FREQUENCY));
        assertEquals(2_000_000.0, scored.features().get(FeatureNames.RFM_MONETARY));
        long recency = scored.features().get(FeatureNames.RFM_RECENCY_DAYS).longValue();
        assertTrue(recency <= 1);
        Rfm.Scores expected = Rfm.score(new Rfm.Metrics(recency, 2, new java.math.BigDecimal("2000000")), boundaries,
                Rfm.tiePosition(buyer)).orElseThrow();
        assertEquals((double) expected.r(), scored.features().get(FeatureNames.RFM_R_SCORE));
        assertEquals((double) expected.f(), scored.features().get(FeatureNames.RFM_F_SCORE));
        assertEquals((double) expected.m(), scored.features().get(FeatureNames.RFM_M_SCORE));
        assertEquals(expected.group(), scored.labelsOrEmpty().get(FeatureNames.RFM_GROUP));
        assertTrue(FeatureNames.RFM_GROUPS.contains(scored.labelsOrEmpty().get(FeatureNames.RFM_GROUP)));
        assertEquals("new", scored.labelsOrEmpty().get(FeatureNames.LIFECYCLE_STAGE));
    }

    @Test
    void erasureLeavesNoTraceInAnyTable() throws SQLException {
        String user = "u-" + UUID.randomUUID();
        String account = "acct-" + UUID.randomUUID();
        List<EventEnvelope> history = List.of(
                group(user, account, Map.of("tier", "Tier 2"), ago(5)),
                campaignEvent(user, CanonicalEvents.EMAIL_SENT, "e1", ago(4), false),
                campaignEvent(user, CanonicalEvents.EMAIL_OPENED, "e1", ago(3), false),
                campaignEvent(user, CanonicalEvents.EMAIL_OPENED, "unknown-send", ago(3), false),
                track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 5, "category", "jazz"), ago(2)),
                track(user, CanonicalEvents.CONSENT_UPDATED, Map.of("channel", "email", "granted", true), ago(2)));
        history.forEach(FeatureTopics::send);
        awaitVersion(user, history.size());
        assertTrue(rowsMentioning(user) > 0);

        TopicRecords.send(FeatureTopics.bootstrap(), Topics.ERASURE, user, FeatureTopics.json(
                new ErasureRequest(ErasureRequest.SCHEMA_VERSION, UUID.randomUUID().toString(), user, Instant.now())));
        await().atMost(WAIT).until(() -> vectors(features, user), p -> p.stream().anyMatch(Objects::isNull));
        assertEquals(0, rowsMentioning(user), "no row of any table mentions the subscriber");
        given().get("/v1/subscribers/{id}/features", user).then().statusCode(404);
        // the account keeps its own traits but no longer counts the erased contact
        given().get("/v1/accounts/{id}/features", account).then().statusCode(200).body("contacts", equalTo(0));
    }

    /** Intent rows name the contact whose event carried them, so erasing the contact removes its contribution. */
    @Test
    void erasureRemovesTheContactsIntentSignalsFromTheAccount() throws SQLException {
        String account = "acct-" + UUID.randomUUID();
        String alice = "u-" + UUID.randomUUID();
        String bob = "u-" + UUID.randomUUID();
        send(group(alice, account, Map.of("tier", 1), ago(10)));
        send(group(bob, account, Map.of("tier", 1), ago(10)));
        awaitVersion(alice, 1);
        awaitVersion(bob, 1);
        // alice's signals: two on her linked account, one naming another account on the event itself
        String other = "acct-" + UUID.randomUUID();
        send(track(alice, CanonicalEvents.INTENT_SIGNAL, Map.of("topic", "pricing", "strength", 2), ago(3)));
        send(track(alice, CanonicalEvents.INTENT_SIGNAL, Map.of("topic", "security"), ago(2)));
        send(new EventEnvelope(1, UUID.randomUUID().toString(), EventType.TRACK, alice, null, other,
                CanonicalEvents.INTENT_SIGNAL, null, Map.of("topic", "pricing"), null, null, ago(2), null, ago(2)));
        send(track(bob, CanonicalEvents.INTENT_SIGNAL, Map.of("topic", "pricing"), ago(1)));
        awaitVersion(alice, 4);
        awaitVersion(bob, 2);
        given().get("/v1/accounts/{id}/features", account).then().statusCode(200)
                .body("intentByTopic30d.pricing", equalTo(2))
                .body("intentByTopic30d.security", equalTo(1));
        given().get("/v1/accounts/{id}/features", other).then().statusCode(200)
                .body("intentByTopic30d.pricing", equalTo(1));

        TopicRecords.send(FeatureTopics.bootstrap(), Topics.ERASURE, alice, FeatureTopics.json(
                new ErasureRequest(ErasureRequest.SCHEMA_VERSION, UUID.randomUUID().toString(), alice, Instant.now())));
        await().atMost(WAIT).until(() -> vectors(features, alice), p -> p.stream().anyMatch(Objects::isNull));

        assertEquals(0, rowsMentioning(alice), "no row of any table mentions the erased contact");
        given().get("/v1/accounts/{id}/features", account).then().statusCode(200)
                .body("contacts", equalTo(1))
                .body("intentByTopic30d.pricing", equalTo(1))
                .body("intentByTopic30d.security", org.hamcrest.Matchers.nullValue());
        given().get("/v1/accounts/{id}/features", other).then().statusCode(404);
        // bob, the remaining contact, is republished without alice's signals
        accountRefresh.refreshOnce();
        await().atMost(WAIT).untilAsserted(() -> {
            FeatureVector latest = current(bob);
            assertEquals(1.0, latest.features().get(FeatureNames.ACCOUNT_INTENT_30D_PREFIX + "pricing"));
            assertEquals(1.0, latest.features().get(FeatureNames.ACCOUNT_INTENT_SIGNALS_30D));
        });
    }

    /** Counts rows whose any text column (or jsonb as text) contains the id, across every table of the schema. */
    private int rowsMentioning(String id) throws SQLException {
        int total = 0;
        try (Connection c = dataSource.getConnection()) {
            List<String[]> columns = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("""
                    select table_name, column_name from information_schema.columns
                    where table_schema = 'feature' and data_type in ('text', 'jsonb', 'character varying')
                    and table_name <> 'flyway_schema_history'
                    """); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    columns.add(new String[] {r.getString(1), r.getString(2)});
                }
            }
            assertTrue(columns.stream().anyMatch(t -> t[0].equals("recent_send")), "new tables are searched");
            for (String[] column : columns) {
                try (PreparedStatement s = c.prepareStatement("select count(*) from feature.\"" + column[0]
                        + "\" where cast(\"" + column[1] + "\" as text) like ?")) {
                    s.setString(1, "%" + id + "%");
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        total += r.getInt(1);
                    }
                }
            }
        }
        return total;
    }

    @Test
    void dataQualityCountsDuplicatesUnknownNamesAnonymousEventsAndMachineOpens() {
        Map<String, Integer> before = counters();
        String user = "u-" + UUID.randomUUID();
        EventEnvelope open = track(user, CanonicalEvents.EMAIL_OPENED, Map.of("machineOpen", true), ago(1));
        send(open);
        send(open);
        send(track(user, "Totally Custom", null, ago(1)));
        Instant received = Instant.now();
        send(new EventEnvelope(1, UUID.randomUUID().toString(), EventType.TRACK, user, null, null,
                CanonicalEvents.EMAIL_DELIVERED, null, null, null, null, received, received.minus(Duration.ofHours(3)),
                received));
        String anonymous = "anon-" + UUID.randomUUID();
        send(new EventEnvelope(1, UUID.randomUUID().toString(), EventType.TRACK, null, anonymous, null,
                CanonicalEvents.EMAIL_DELIVERED, null, null, null, null, ago(1), null, ago(1)));
        awaitVersion(anonymous, 1);
        awaitVersion(user, 3);
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Integer> after = counters();
            assertTrue(after.get("duplicates_dropped") >= before.get("duplicates_dropped") + 1);
            assertTrue(after.get("unknown_event_names") >= before.get("unknown_event_names") + 1);
            assertTrue(after.get("events_without_known_subscriber") >= before.get("events_without_known_subscriber") + 1);
            assertTrue(after.get("machine_opens") >= before.get("machine_opens") + 1);
            assertTrue(after.get("clock_skewed_events") >= before.get("clock_skewed_events") + 1);
            assertTrue(after.get("events") >= before.get("events") + 5, "5 events consumed");
        });
        given().get("/v1/data-quality").then().statusCode(200)
                .body("machineOpenShare", org.hamcrest.Matchers.greaterThan(0f))
                .body("profiles", org.hamcrest.Matchers.greaterThan(0));
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void inactiveProfilesAreThoseWithoutAnActionOfTheirOwnIn180Days() {
        long before = inactiveProfiles();
        // mailed yesterday, but their own last action (a click) was 200 days ago: inactive
        String mailedOnly = "u-" + UUID.randomUUID();
        send(track(mailedOnly, CanonicalEvents.EMAIL_LINK_CLICKED, null, ago(24 * 200)));
        send(track(mailedOnly, CanonicalEvents.EMAIL_DELIVERED, null, ago(24 * 1)));
        send(track(mailedOnly, CanonicalEvents.EMAIL_OPENED, Map.of("machineOpen", true), ago(24 * 1)));
        // first seen 200 days ago, viewed a page 10 days ago: active
        String browser = "u-" + UUID.randomUUID();
        send(track(browser, CanonicalEvents.EMAIL_DELIVERED, null, ago(24 * 200)));
        Instant viewed = ago(24 * 10);
        send(new EventEnvelope(1, UUID.randomUUID().toString(), EventType.PAGE, browser, null, null, null, "Home",
                Map.of("url", "https://example.com/"), null, null, viewed, null, viewed));
        // never did anything, first seen 190 days ago: inactive; first seen 5 days ago: not yet
        String neverActive = "u-" + UUID.randomUUID();
        send(track(neverActive, CanonicalEvents.EMAIL_DELIVERED, null, ago(24 * 190)));
        String newcomer = "u-" + UUID.randomUUID();
        send(track(newcomer, CanonicalEvents.EMAIL_DELIVERED, null, ago(24 * 5)));
        awaitVersion(mailedOnly, 3);
        awaitVersion(browser, 2);
        awaitVersion(neverActive, 1);
        awaitVersion(newcomer, 1);
        assertEquals(before + 2, inactiveProfiles());
    }

    private static long inactiveProfiles() {
        return given().get("/v1/data-quality").then().statusCode(200).extract().jsonPath()
                .getLong("profilesInactive180d");
    }

    /**
     * The counts are written in the transaction that applies the events (the scheduled gauge refresh
     * is off in tests and nothing is flushed later): once an event's vector is out, its counts are stored.
     */
    @Test
    void dataQualityCountsAreStoredWithTheEventsTheyCount() throws SQLException {
        long events = storedCount("events");
        long unknown = storedCount("unknown_event_names");
        String user = "u-" + UUID.randomUUID();
        send(track(user, "Another Custom Thing", null, ago(1)));
        awaitVersion(user, 1);
        assertTrue(storedCount("events") >= events + 1, "counted with the event");
        assertTrue(storedCount("unknown_event_names") >= unknown + 1, "counted with the event");
    }

    private long storedCount(String metric) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select coalesce(sum(value), 0) from feature.data_quality where metric = ?")) {
            s.setString(1, metric);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static Map<String, Integer> counters() {
        return given().get("/v1/data-quality").then().statusCode(200).extract().jsonPath().getMap("counters");
    }

    @Inject
    FeatureSweep sweep;

    @Test
    void oldDaysAreFoldedIntoMonthsWithoutChangingAnyFeature() throws SQLException {
        String user = "u-" + UUID.randomUUID();
        send(track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 40), ago(24 * 800)));
        send(track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 7), ago(24 * 801)));
        send(track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 3), ago(24 * 10)));
        FeatureVector before = awaitVersion(user, 3);
        assertEquals(3, count("select count(*) from feature.daily_activity where subscriber_id = ?", user));

        assertTrue(sweep.rollUpOldDays() >= 2);
        assertEquals(1, count("select count(*) from feature.daily_activity where subscriber_id = ?", user),
                "only the day inside the kept 730 days stays daily");
        assertEquals(2, count("select coalesce(sum(orders), 0) from feature.monthly_activity where subscriber_id = ?",
                user));
        assertEquals(47, count("select cast(coalesce(sum(revenue), 0) as int) from feature.monthly_activity "
                + "where subscriber_id = ?", user));
        assertEquals(0, sweep.rollUpOldDays(), "nothing old is left to fold");
        // the vector computed after the rollup is the same
        send(track(user, "Noop Marker", null, ago(1)));
        FeatureVector after = awaitVersion(user, 4);
        assertEquals(before.features().get(FeatureNames.ORDERS_365D), after.features().get(FeatureNames.ORDERS_365D));
        assertEquals(3.0, after.features().get(FeatureNames.REVENUE_365D));
        // lifetime totals reach into the monthly rollup; the 30-day window holds the order 10 days ago
        for (FeatureVector v : List.of(before, after)) {
            assertEquals(3.0, v.features().get(FeatureNames.ORDERS_TOTAL));
            assertEquals(50.0, v.features().get(FeatureNames.REVENUE_TOTAL));
            assertEquals(1.0, v.features().get(FeatureNames.ORDERS_30D));
            assertEquals(3.0, v.features().get(FeatureNames.REVENUE_30D));
        }
        // training sets only reach back as far as the kept days allow
        given().contentType("application/json")
                .body(Map.of("asOf", Instant.now().minus(Duration.ofDays(400)).toString(), "horizonDays", 5,
                        "label", "ordered"))
                .post("/v1/training-sets").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", org.hamcrest.Matchers.hasItem("/asOf"));
    }

    private int count(String sql, String user) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, user);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    @Test
    void catalogueListsFamiliesAndLabels() {
        given().get("/v1/features/catalog").then().statusCode(200)
                .body("families.name", org.hamcrest.Matchers.hasItem(FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX + "<0-167>"))
                .body("labels.name", org.hamcrest.Matchers.contains(FeatureNames.LABELS.toArray()));
        assertFalse(FeatureNames.ALL.isEmpty());
    }
}
