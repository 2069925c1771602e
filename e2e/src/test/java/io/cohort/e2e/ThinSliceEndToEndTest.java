package io.cohort.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.MembershipChange;
import io.cohort.contracts.ScoreNames;
import io.cohort.contracts.SegmentMembershipEvent;
import io.cohort.contracts.Topics;
import io.cohort.devstack.TopicRecords;
import io.cohort.devstack.sample.CohortClient;
import io.cohort.devstack.sample.Persona;
import io.cohort.devstack.sample.SampleAudience;
import io.cohort.devstack.sample.SampleSubscriber;
import io.cohort.devstack.security.TokenClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The thin slice across all four packaged services: events in through ingest-service, features
 * folded by feature-service, a Tribuo clustering trained and applied by model-service, and rule
 * and cluster segments kept live by segment-service — with the exact memberships and entered
 * events the generated audience implies. The services run their default configuration, so feature-
 * and segment-service run their Kafka Streams engines (the PostgreSQL engines are tested per module).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThinSliceEndToEndTest {

    private static final int PER_PERSONA = 100;
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private CohortSuite suite;
    private CohortClient client;
    private MembershipEvents membershipEvents;
    private final Instant now = Instant.now();
    private final List<SampleSubscriber> audience = SampleAudience.generate(PER_PERSONA, now, 7L);
    private String openersId;
    private String buyersId;

    @BeforeAll
    void startSuite() throws Exception {
        suite = CohortSuite.start();
        client = suite.client;
        membershipEvents = new MembershipEvents(suite.stack.kafkaBootstrapServers());
    }

    @AfterAll
    void stopSuite() throws Exception {
        if (membershipEvents != null) {
            membershipEvents.close();
        }
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    @Order(1)
    void eventsFlowIntoLiveRuleSegmentsAndAClusterSegment() throws Exception {
        // rule segments exist before any data: membership must follow each feature change live
        openersId = client.createSegment(Map.of("name", "Opened in 30 days", "kind", "rule",
                "condition", Map.of("all", List.of(Map.of("feature", FeatureNames.EMAILS_OPENED_30D, "op", "gte",
                        "value", 1))))).path("id").asText();
        buyersId = client.createSegment(Map.of("name", "Bought in 90 days", "kind", "rule",
                "condition", Map.of("feature", FeatureNames.ORDERS_90D, "op", "gte", "value", 1))).path("id").asText();

        List<Map<String, Object>> calls = new ArrayList<>();
        audience.forEach(s -> calls.addAll(s.calls()));
        long[] sent = client.sendBatches(calls, 400);
        assertEquals(calls.size(), sent[0], "every distinct event accepted");
        assertEquals(0, sent[1]);

        // feature-service folds every event: check each subscriber's vector against its history
        await("feature vectors").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> audience.stream().allMatch(this::vectorMatchesHistory));

        Set<String> expectedOpeners = ids(s -> s.count(CanonicalEvents.EMAIL_OPENED, 30, now) > 0);
        Set<String> expectedBuyers = ids(s -> s.persona() == Persona.ENGAGED_BUYER);
        assertEquals(2 * PER_PERSONA, expectedOpeners.size(), "engaged buyers and readers opened in 30 days");

        await("rule memberships").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> new TreeSet<>(client.members(openersId, 70)).equals(expectedOpeners)
                        && new TreeSet<>(client.members(buyersId, 70)).equals(expectedBuyers));

        // model-service trains on the final vectors; retry until it has seen all of them
        JsonNode[] model = new JsonNode[1];
        await("clustering trained on every subscriber").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    model[0] = client.train("clustering.behavioural", Map.of("k", 3, "seed", 11));
                    return model[0].path("rows").asInt() == audience.size();
                });
        assertEquals(3, model[0].path("clusters").size());
        assertEquals("active", model[0].path("status").asText());

        // the cluster of the first engaged buyer must hold exactly the engaged buyers: the personas
        // are far apart, so K-Means recovers them
        String anchor = audience.get(0).id();
        int anchorCluster = clusterOf(anchor, model[0].path("version").asInt());
        String clusterSegmentId = client.createSegment(Map.of("name", "Engaged cluster", "kind", "cluster",
                "clusterId", anchorCluster)).path("id").asText();
        await("cluster membership").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> new TreeSet<>(client.members(clusterSegmentId, 70)).equals(expectedBuyers));
        int clusterSize = model[0].path("clusters").findValues("size").stream()
                .filter(n -> n.asInt() == PER_PERSONA).toList().size();
        assertEquals(3, clusterSize, "three clusters of " + PER_PERSONA + ": " + model[0].path("clusters"));

        JsonNode anchorSegments = client.subscriberSegments(anchor);
        Set<String> anchorSegmentIds = new TreeSet<>();
        anchorSegments.path("segments").forEach(s -> anchorSegmentIds.add(s.path("segmentId").asText()));
        assertEquals(Set.of(openersId, buyersId, clusterSegmentId), anchorSegmentIds);

        // exactly one entered event per member and segment, no exits
        Map<String, Set<String>> expectedEntered = Map.of(openersId, expectedOpeners, buyersId, expectedBuyers,
                clusterSegmentId, expectedBuyers);
        int expectedEvents = expectedOpeners.size() + 2 * expectedBuyers.size();
        await("membership events").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> membershipEvents().size() >= expectedEvents);
        List<SegmentMembershipEvent> events = membershipEvents();
        assertEquals(expectedEvents, events.size(), "one event per real transition");
        assertTrue(events.stream().allMatch(e -> e.change() == MembershipChange.ENTERED), "nobody exited");
        for (var entry : expectedEntered.entrySet()) {
            List<String> entered = events.stream().filter(e -> e.segmentId().equals(entry.getKey()))
                    .map(SegmentMembershipEvent::subscriberId).toList();
            assertEquals(entry.getValue().size(), entered.size(), "no duplicate entered events");
            assertEquals(entry.getValue(), new TreeSet<>(entered));
        }
        events.forEach(e -> assertTrue(e.subscriberId().equals(
                membershipKeys().get(e.eventId())), "membership events are keyed by subscriber"));
    }

    @Test
    @Order(2)
    void replayingTheSameEventsChangesNothing() throws Exception {
        List<Map<String, Object>> firstSubscriber = audience.get(0).calls();
        long[] sent = client.sendBatches(firstSubscriber, 400);
        assertEquals(0, sent[0]);
        assertEquals(firstSubscriber.size(), sent[1], "repeated messageIds are acknowledged as duplicates");
        JsonNode before = client.features(audience.get(0).id()).expect(200).body();
        assertTrue(vectorMatchesHistory(audience.get(0)));
        assertEquals(before.path("version").asLong(),
                client.features(audience.get(0).id()).expect(200).body().path("version").asLong());
    }

    @Test
    @Order(3)
    void badInputToEveryEndpointOfTheSliceIsAProblemNamingTheField() {
        var urls = client.urls();
        assertProblem(client.postRaw(urls.ingest() + "/v1/track", "{\"event\":\"Email Opened\"}"), 400, "/userId");
        assertProblem(client.postRaw(urls.ingest() + "/v1/batch", "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\"}]}"),
                400, "/batch/0/event");
        assertProblem(client.post(urls.model() + "/v1/models/clustering.behavioural/versions:train", Map.of("k", 1)),
                400, "/k");
        assertProblem(client.post(urls.segment() + "/v1/segments", Map.of("name", "x", "kind", "rule",
                "condition", Map.of("feature", "no_such_feature", "op", "gte", "value", 1))), 400, "/condition/feature");
        assertProblem(client.get(urls.feature() + "/v1/subscribers/nobody-here/features"), 404, null);
        assertProblem(client.get(urls.segment() + "/v1/segments/" + java.util.UUID.randomUUID() + "/members"), 404, null);

        // ingest-service authenticates like Segment's libraries: without a valid write key nothing is accepted
        client.useWriteKey(null);
        try {
            assertProblem(client.postRaw(urls.ingest() + "/v1/track",
                    "{\"userId\":\"u\",\"event\":\"Product Viewed\"}"), 401, null);
            client.useWriteKey("ck_not-a-key");
            assertProblem(client.postRaw(urls.ingest() + "/v1/batch",
                    "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Product Viewed\"}]}"), 401, null);
        } finally {
            client.useWriteKey(suite.writeKey);
        }
    }

    @Test
    @Order(4)
    void erasingASubscriberRemovesThemFromEveryServiceAndExitsTheirSegments() {
        SampleSubscriber erased = audience.get(1);
        Set<String> segmentsBefore = new TreeSet<>();
        client.subscriberSegments(erased.id()).path("segments")
                .forEach(s -> segmentsBefore.add(s.path("segmentId").asText()));
        assertEquals(3, segmentsBefore.size(), "an engaged buyer is in both rule segments and the cluster segment");

        // erasure needs privacy:write (issue 17): the suite's client key (public, tracking only) and an
        // operator's token are refused naming it; a server key granted it (as a CRM back end holds) erases
        String erase = client.urls().ingest() + "/v1/subscribers/" + erased.id();
        CohortClient.Reply refused = client.delete(erase);
        assertProblem(refused, 403, null);
        assertEquals("privacy:write", refused.body().path("scopes").path(0).asText(), String.valueOf(refused.body()));
        String operator = new TokenClient(suite.stack.tokens().issuer()).password("operator", "operator", null);
        IngestAdmin.Reply operatorRefused = IngestAdmin.send("DELETE", erase, "Bearer " + operator, null);
        assertEquals(403, operatorRefused.status(), String.valueOf(operatorRefused.body()));
        assertTrue(operatorRefused.contentType().startsWith("application/problem+json"));
        assertEquals(401, IngestAdmin.send("DELETE", erase, null, null).status(), "no credentials");
        String serverKey = IngestAdmin.createServerKey(client.urls().ingest(), suite.adminToken(), "e2e-crm",
                List.of("privacy:write"));
        CohortClient.Reply reply;
        try {
            client.useWriteKey(serverKey);
            reply = client.delete(erase);
        } finally {
            client.useWriteKey(suite.writeKey);
        }
        assertEquals(202, reply.status(), String.valueOf(reply.body()));

        await("features erased").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> client.features(erased.id()).status() == 404);
        await("segment memberships erased").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> client.subscriberSegments(erased.id()).path("segments").isEmpty());
        await("one exited event per former segment").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> exitedSegments(erased.id()).size() == segmentsBefore.size());
        assertEquals(segmentsBefore, new TreeSet<>(exitedSegments(erased.id())));
        for (String segmentId : segmentsBefore) {
            assertTrue(!client.members(segmentId, 500).contains(erased.id()), "gone from " + segmentId);
        }
        // the compacted state topics end with tombstones for the subscriber
        for (String topic : List.of(Topics.FEATURES, Topics.SCORES)) {
            try (TopicRecords records = new TopicRecords(suite.stack.kafkaBootstrapServers(), topic)) {
                var forSubscriber = await(topic + " tombstone").atMost(PATIENCE)
                        .until(() -> records.pollKey(erased.id()),
                                r -> !r.isEmpty() && r.get(r.size() - 1).value() == null);
                assertTrue(forSubscriber.get(forSubscriber.size() - 1).value() == null);
            }
        }
    }

    /**
     * The seeds' worked example across all four services: account traits arrive as {@code group}
     * calls, the pricing page view of one contact lights up the whole account, and engagement is
     * counted over each contact's last five sends. Only the engaged contact of the tier-1 target
     * account with intent qualifies; each other contact misses exactly one condition.
     */
    @Test
    @Order(5)
    void theSeedsWorkedExampleSpansAccountsEngagementAndIntent() {
        String qualified = "abm-qualified";
        String colleague = "abm-colleague";       // same account, only one engaged send
        String tierTwo = "abm-tier-two";          // engaged, intent, but a tier-2 account
        String noIntent = "abm-no-intent";        // engaged, tier-1 target, but nobody on the account showed intent
        List<Map<String, Object>> calls = new ArrayList<>();
        calls.add(group(qualified, "acct-tier1-intent", 1, true));
        calls.add(group(colleague, "acct-tier1-intent", 1, true));
        calls.add(group(tierTwo, "acct-tier2-intent", 2, true));
        calls.add(group(noIntent, "acct-tier1-quiet", 1, true));
        sends(calls, qualified, 3);
        sends(calls, colleague, 1);
        sends(calls, tierTwo, 3);
        sends(calls, noIntent, 4);
        calls.add(abmCall(colleague, "page", 2, Map.of("name", "Pricing", "properties", Map.of("path", "/pricing"))));
        calls.add(abmCall(tierTwo, "track", 2, Map.of("event", CanonicalEvents.INTENT_SIGNAL,
                "properties", Map.of("topic", "Competitor comparison", "strength", 0.8))));
        long[] sent = client.sendBatches(calls, 400);
        assertEquals(calls.size(), sent[0], "every ABM call accepted");

        JsonNode segment = client.createSegment(Map.of("name", "Tier-1 targets with intent", "kind", "rule",
                "condition", Map.of("all", List.of(
                        Map.of("feature", FeatureNames.ACCOUNT_TIER, "op", "eq", "value", 1),
                        Map.of("feature", FeatureNames.ACCOUNT_TARGET, "op", "eq", "value", 1),
                        Map.of("feature", FeatureNames.ENGAGED_SENDS_LAST_5, "op", "gte", "value", 2),
                        Map.of("feature", FeatureNames.ACCOUNT_PRICING_INTENT_30D, "op", "gte", "value", 1))),
                "actions", Map.of("priority", 50, "contentKey", "abm-pricing-followup",
                        "subjectLines", List.of("Your team looked at pricing"),
                        "sendTime", Map.of("policy", "fixed", "hourUtc", 9))));
        String segmentId = segment.path("id").asText();

        await("account rollups reach every contact").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> feature(colleague, FeatureNames.ACCOUNT_PRICING_INTENT_30D) >= 1
                        && feature(qualified, FeatureNames.ACCOUNT_PRICING_INTENT_30D) >= 1
                        && feature(tierTwo, FeatureNames.ACCOUNT_PRICING_INTENT_30D) >= 1
                        && feature(noIntent, FeatureNames.ENGAGED_SENDS_LAST_5) == 4);
        await("worked-example membership").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> client.members(segmentId, 50).equals(List.of(qualified)));

        assertEquals(1.0, feature(colleague, FeatureNames.ENGAGED_SENDS_LAST_5));
        assertEquals(2, client.get(client.urls().feature() + "/v1/accounts/acct-tier1-intent/features").expect(200)
                .body().path("contacts").asInt());
        JsonNode why = client.get(client.urls().segment() + "/v1/segments/" + segmentId + "/members/" + colleague)
                .expect(200).body();
        assertEquals(false, why.path("member").asBoolean(true), String.valueOf(why));

        JsonNode plan = client.get(client.urls().segment() + "/v1/subscribers/" + qualified + "/plan").expect(200).body();
        assertTrue(plan.path("send").asBoolean(), String.valueOf(plan));
        assertEquals(segmentId, plan.path("segmentId").asText());
        assertEquals("abm-pricing-followup", plan.path("contentKey").asText());
        assertEquals(9, Instant.parse(plan.path("sendAt").asText()).atZone(java.time.ZoneOffset.UTC).getHour());
    }

    /**
     * Issue 3's alias test across the suite: a visitor browses under an anonymous id only, then identifies.
     * The pre-identify events are held by ingest-service, released under the user id once the link is known,
     * and counted by feature-service for the known subscriber; a rule segment over those counts takes the
     * subscriber in, and nothing is ever folded under the anonymous id.
     */
    @Test
    @Order(6)
    void preIdentifyEventsAreCountedForTheKnownSubscriberDownstream() {
        String anonymousId = "anon-" + java.util.UUID.randomUUID();
        String userId = "alias-user-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String viewersId = client.createSegment(Map.of("name", "Viewed 4+ products in 30 days", "kind", "rule",
                "condition", Map.of("feature", FeatureNames.PRODUCT_VIEWS_30D, "op", "gte", "value", 4)))
                .path("id").asText();

        List<Map<String, Object>> anonymous = new ArrayList<>();
        for (int d = 1; d <= 3; d++) {
            anonymous.add(anonymousCall(anonymousId, "track", d, Map.of("event", CanonicalEvents.PRODUCT_VIEWED,
                    "properties", Map.of("productId", "sku-" + d, "category", "shoes"))));
        }
        anonymous.add(anonymousCall(anonymousId, "page", 1, Map.of("name", "Pricing", "properties", Map.of("path", "/pricing"))));
        assertEquals(anonymous.size(), client.sendBatches(anonymous, 100)[0], "anonymous events accepted");
        assertEquals(404, client.features(anonymousId).status(), "nothing is folded under an anonymous id");

        Map<String, Object> identify = anonymousCall(anonymousId, "identify", 0, Map.of("traits", Map.of("plan", "trial")));
        identify.put("userId", userId);
        Map<String, Object> afterIdentify = abmCall(userId, "track", 0, Map.of("event", CanonicalEvents.PRODUCT_VIEWED,
                "properties", Map.of("productId", "sku-9", "category", "shoes")));
        assertEquals(2, client.sendBatches(List.of(identify, afterIdentify), 100)[0]);

        await("pre-identify events counted for the known subscriber").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> feature(userId, FeatureNames.PRODUCT_VIEWS_30D) == 4
                        && feature(userId, FeatureNames.PRICING_PAGE_VIEWS_30D) == 1);
        await("segment membership from the merged history").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> client.members(viewersId, 50).contains(userId));
        assertTrue(!client.members(viewersId, 50).contains(anonymousId), "the anonymous id is never a member");
        assertEquals(404, client.features(anonymousId).status(), "still nothing under the anonymous id");
    }

    /**
     * Propensity end to end: model-service trains {@code propensity.clicked_7d} on feature-service's real
     * point-in-time training sets (no stand-in), publishes calibrated scores with reason codes, a predictive
     * segment in segment-service follows those scores exactly, and the plan's send time comes from the
     * {@code sendtime} model's published hour of week.
     */
    @Test
    @Order(7)
    void propensityTrainedOnRealTrainingSetsDrivesAPredictiveSegmentAndModelSendTimes() throws Exception {
        // 70 days of history: clickers open and click every send (every 3 days), readers open every other one
        List<String> clickers = new ArrayList<>();
        List<String> readers = new ArrayList<>();
        List<Map<String, Object>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String clicker = String.format("pc-clicker-%02d", i);
            String reader = String.format("pc-reader-%02d", i);
            clickers.add(clicker);
            readers.add(reader);
            for (int s = 0; s < 24; s++) {
                Instant sentAt = now.minus(Duration.ofDays(3L * s + 1)).minus(Duration.ofHours(i % 5));
                Map<String, Object> campaign = Map.of("campaignId", "pc-campaign-" + s);
                for (String id : List.of(clicker, reader)) {
                    calls.add(abmCall(id, "track", sentAt, Map.of("event", CanonicalEvents.EMAIL_DELIVERED, "properties", campaign)));
                }
                calls.add(abmCall(clicker, "track", sentAt.plus(Duration.ofHours(1)),
                        Map.of("event", CanonicalEvents.EMAIL_OPENED, "properties", campaign)));
                calls.add(abmCall(clicker, "track", sentAt.plus(Duration.ofHours(2)),
                        Map.of("event", CanonicalEvents.EMAIL_LINK_CLICKED, "properties", campaign)));
                if (s % 2 == 0) {
                    calls.add(abmCall(reader, "track", sentAt.plus(Duration.ofHours(1)),
                            Map.of("event", CanonicalEvents.EMAIL_OPENED, "properties", campaign)));
                }
            }
        }
        assertEquals(calls.size(), client.sendBatches(calls, 400)[0], "every history call accepted");
        await("histories folded").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> feature(clickers.get(39), FeatureNames.EMAILS_OPENED_30D) == 10
                        && feature(readers.get(39), FeatureNames.EMAILS_OPENED_30D) == 5);

        try (TopicRecords scores = new TopicRecords(suite.stack.kafkaBootstrapServers(), Topics.SCORES)) {
            // the job reads its training sets from feature-service over HTTP
            String model = client.urls().model();
            CohortClient.Reply started = client.post(model + "/v1/models/" + ScoreNames.PROPENSITY_CLICKED_7D
                    + "/versions:train", Map.of("trainingCutoffs", 3, "seed", 5));
            assertEquals(202, started.status(), String.valueOf(started.body()));
            String jobUrl = model + "/v1/jobs/" + started.body().path("id").asText();
            JsonNode[] job = new JsonNode[1];
            await("propensity job").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        job[0] = client.get(jobUrl).expect(200).body();
                        return !job[0].path("state").asText().matches("queued|running");
                    });
            assertEquals("succeeded", job[0].path("state").asText(), String.valueOf(job[0]));
            int version = job[0].path("version").asInt();
            JsonNode trained = client.get(model + "/v1/models/" + ScoreNames.PROPENSITY_CLICKED_7D + "/versions/" + version)
                    .expect(200).body();
            assertEquals("active", trained.path("status").asText(), String.valueOf(trained));

            // the scores model-service published for our subscribers rank every clicker above every reader
            Map<String, Double> propensity = new java.util.HashMap<>();
            List<String> ours = new ArrayList<>(clickers);
            ours.addAll(readers);
            await("propensity scores published").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        latestScores(scores, ScoreNames.PROPENSITY_CLICKED_7D, version, propensity);
                        return propensity.keySet().containsAll(ours);
                    });
            double lowestClicker = clickers.stream().mapToDouble(propensity::get).min().orElseThrow();
            double highestReader = readers.stream().mapToDouble(propensity::get).max().orElseThrow();
            assertTrue(lowestClicker > highestReader, "clickers " + lowestClicker + " vs readers " + highestReader);

            // a predictive segment over the real scores holds exactly the clickers among our subscribers
            double threshold = (lowestClicker + highestReader) / 2;
            String segmentId = client.createSegment(Map.of("name", "Likely to click", "kind", "predictive",
                    "score", ScoreNames.PROPENSITY_CLICKED_7D, "threshold", threshold,
                    "actions", Map.of("priority", 90, "contentKey", "pc-offer", "subjectLines", List.of("For you"),
                            "sendTime", Map.of("policy", "model", "hourUtc", 9)))).path("id").asText();
            await("predictive membership").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> client.members(segmentId, 100).stream().filter(ours::contains)
                            .collect(Collectors.toCollection(TreeSet::new)).equals(new TreeSet<>(clickers)));
            JsonNode why = client.get(client.urls().segment() + "/v1/segments/" + segmentId + "/members/" + clickers.get(0))
                    .expect(200).body();
            assertTrue(why.path("member").asBoolean(), String.valueOf(why));
            assertTrue(why.toString().contains("\"reasons\":[\""), "the model's reason codes: " + why);

            // send time from the sendtime model's published hour of week
            assertEquals(201, client.post(model + "/v1/models/sendtime/versions:train", Map.of()).status());
            Map<String, Double> hours = new java.util.HashMap<>();
            await("send-time scores published").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        latestScores(scores, ScoreNames.SEND_HOUR_OF_WEEK, null, hours);
                        return hours.containsKey(clickers.get(0));
                    });
            int hourOfWeek = (int) Math.round(hours.get(clickers.get(0)));
            JsonNode[] plan = new JsonNode[1];
            await("plan uses the model's hour").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        plan[0] = client.get(client.urls().segment() + "/v1/subscribers/" + clickers.get(0) + "/plan")
                                .expect(200).body();
                        if (!plan[0].path("send").asBoolean() || !segmentId.equals(plan[0].path("segmentId").asText())) {
                            return false;
                        }
                        var at = Instant.parse(plan[0].path("sendAt").asText()).atZone(java.time.ZoneOffset.UTC);
                        return (at.getDayOfWeek().getValue() - 1) * 24 + at.getHour() == hourOfWeek;
                    });
            assertEquals("pc-offer", plan[0].path("contentKey").asText(), String.valueOf(plan[0]));
        }
    }

    /**
     * A kill -9 of feature-service in the middle of a stream: its history consumer comes back as the
     * same static group member (so it resumes its partitions without waiting out the dead member's
     * session), its streams engine restores its tasks from the state directory and changelogs, and
     * every event accepted while it was down is applied exactly once (read from the engine's store).
     */
    @Test
    @Order(8)
    void aFeatureServiceKilledMidStreamRejoinsAsTheSameMemberAndLosesNoEvent() throws Exception {
        String member = CohortSuite.groupInstanceId("feature-service") + "-events-in";
        assertEquals(Set.of(member), staticMembers("feature-service"), "consumers join as static members");
        // beside its streams engine segment-service consumes sends in group segment-service (features and
        // scores go to the topology, erasure requests to a group of their own)
        assertEquals(Set.of(CohortSuite.groupInstanceId("segment-service") + "-events-in"),
                staticMembers("segment-service"), "one static member per channel");
        assertEquals(Set.of(CohortSuite.groupInstanceId("segment-service") + "-erasure-in"),
                staticMembers("segment-service-erasure"), "one static member per channel");

        suite.kill("feature-service");
        String subscriber = "e2e-killed-mid-stream";
        List<Map<String, Object>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(call("userId", subscriber, "track", now.minus(Duration.ofHours(i + 1L)),
                    Map.of("event", CanonicalEvents.EMAIL_OPENED, "properties", Map.of("campaignId", "crash-" + i))));
        }
        assertEquals(0, client.sendBatches(calls, 10)[1], "accepted while feature-service is down");
        suite.restart("feature-service");

        await("events accepted during the outage applied").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> feature(subscriber, FeatureNames.EMAILS_OPENED_7D) == 3.0);
        assertEquals(Set.of(member), staticMembers("feature-service"), "the restarted process is the same member");
    }

    /**
     * Issue 17: model-service answers only bearer tokens holding the operation's scope, and
     * segment-service reaches it with its own client credentials (scope models:read): a lookalike
     * segment, whose members model-service computes from the seed's members (read back from
     * segment-service's export with model-service's own token, scope members:export), is created.
     * Late, so its members touch no other test.
     */
    @Test
    @Order(9)
    void modelServiceTakesOnlyScopedTokensAndSegmentServiceCallsItWithItsOwn() {
        String model = client.urls().model();
        TokenClient tokens = new TokenClient(suite.stack.tokens().issuer());
        String operator = tokens.password("operator", "operator", null);
        try {
            client.useBearerToken(null);
            assertEquals(401, client.get(model + "/v1/models").status(), "no token");
            client.useBearerToken(tokens.password("viewer", "viewer", null));
            assertEquals(200, client.get(model + "/v1/models").status(), "a viewer reads the registry");
            CohortClient.Reply refused = client.post(model + "/v1/models/clustering.behavioural/versions:train", Map.of());
            assertProblem(refused, 403, null);
            assertTrue(refused.body().path("detail").asText().contains("'models:train'"), String.valueOf(refused.body()));
        } finally {
            client.useBearerToken(operator);
        }
        JsonNode lookalike = client.createSegment(Map.of("name", "Like the buyers", "kind", "lookalike",
                "seedSegmentId", buyersId, "targetSize", 10));
        assertEquals("lookalike", lookalike.path("kind").asText(), String.valueOf(lookalike));
    }

    /**
     * Issue 17: feature-service answers only bearer tokens holding the operation's scope; personal
     * data (profiles) needs profiles:read, which neither a viewer nor model-service's own client holds.
     * model-service's client-credentials token reading training sets is proven by the propensity test.
     */
    @Test
    @Order(10)
    void featureServiceTakesOnlyScopedTokens() {
        String feature = client.urls().feature();
        String subscriber = audience.get(0).id();
        TokenClient tokens = new TokenClient(suite.stack.tokens().issuer());
        String operator = tokens.password("operator", "operator", null);
        try {
            client.useBearerToken(null);
            assertEquals(401, client.features(subscriber).status(), "no token");
            client.useBearerToken(tokens.password("viewer", "viewer", null));
            assertEquals(200, client.features(subscriber).status(), "a viewer reads feature vectors");
            CohortClient.Reply refused = client.get(feature + "/v1/subscribers/" + subscriber + "/profile");
            assertProblem(refused, 403, null);
            assertTrue(refused.body().path("detail").asText().contains("'profiles:read'"), String.valueOf(refused.body()));
            // model-service's own client: training sets only, never a profile
            client.useBearerToken(tokens.clientCredentials("model-service", "model-service-secret",
                    List.of("training-sets:read")));
            assertEquals(403, client.get(feature + "/v1/subscribers/" + subscriber + "/profile").status());
            client.useBearerToken(operator);
            assertEquals(200, client.get(feature + "/v1/subscribers/" + subscriber + "/profile").status(),
                    "an operator handles support cases");
        } finally {
            client.useBearerToken(operator);
        }
    }

    /**
     * Issue 17 at ingest-service: besides the tracking calls (write keys) and webhooks (signatures),
     * every operation takes a bearer token with its scope; write keys are managed with admin only, and a
     * request's status, imports and import progress need their scope too.
     */
    @Test
    @Order(11)
    void ingestServiceTakesScopedTokensBesideTrackingAndWebhooks() {
        String ingest = client.urls().ingest();
        TokenClient tokens = new TokenClient(suite.stack.tokens().issuer());
        String operator = tokens.password("operator", "operator", null);
        String admin = suite.adminToken();

        IngestAdmin.Reply none = IngestAdmin.send("GET", ingest + "/v1/admin/write-keys", null, null);
        assertEquals(401, none.status());
        IngestAdmin.Reply operatorKeys = IngestAdmin.send("GET", ingest + "/v1/admin/write-keys", "Bearer " + operator, null);
        assertEquals(403, operatorKeys.status(), "an operator does not manage write keys");
        assertEquals("admin", operatorKeys.body().path("scopes").path(0).asText());
        IngestAdmin.Reply listed = IngestAdmin.send("GET", ingest + "/v1/admin/write-keys", "Bearer " + admin, null);
        assertEquals(200, listed.status());
        boolean suiteKeyListed = false;
        for (JsonNode key : listed.body()) {
            suiteKeyListed |= "e2e".equals(key.path("name").asText()) && "client".equals(key.path("kind").asText());
            assertTrue(key.path("key").isMissingNode(), "a listing never shows a key");
        }
        assertTrue(suiteKeyListed, "the suite's client key: " + listed.body());

        // imports: an operator holds imports:write, so reading a job is allowed (404: no such job)
        String job = ingest + "/v1/imports/" + java.util.UUID.randomUUID();
        assertEquals(404, IngestAdmin.send("GET", job, "Bearer " + operator, null).status());
        assertEquals(401, IngestAdmin.send("GET", job, null, null).status());
        assertProblem(client.get(job), 403, null);
        // a request's status is privacy:write, which a viewer does not hold
        String viewer = tokens.password("viewer", "viewer", null);
        IngestAdmin.Reply status = IngestAdmin.send("GET", ingest + "/v1/requests/" + java.util.UUID.randomUUID(),
                "Bearer " + viewer, null);
        assertEquals(403, status.status());
        assertEquals("privacy:write", status.body().path("scopes").path(0).asText());
    }

    /**
     * Issue 17: segment-service answers only bearer tokens holding the operation's scope: a viewer
     * sees segments but no members, the CSV export needs members:export (a reader of pages may not
     * download everyone), recording sends needs sends:write, and the services' own clients hold only
     * what their calls need. model-service reading a seed's export is proven by the lookalike above.
     */
    @Test
    @Order(12)
    void segmentServiceTakesOnlyScopedTokens() {
        String segment = client.urls().segment();
        String subscriber = audience.get(0).id();
        TokenClient tokens = new TokenClient(suite.stack.tokens().issuer());
        String operator = tokens.password("operator", "operator", null);
        try {
            client.useBearerToken(null);
            assertEquals(401, client.get(segment + "/v1/segments").status(), "no token");
            assertEquals(401, client.get(segment + "/v1/subscribers/" + subscriber + "/segments").status(), "no token");
            client.useBearerToken(tokens.password("viewer", "viewer", null));
            assertEquals(200, client.get(segment + "/v1/segments/" + buyersId + "/size").status(),
                    "a viewer reads segments and sizes");
            assertRefused(client.get(segment + "/v1/subscribers/" + subscriber + "/segments"), "members:read");
            assertRefused(client.post(segment + "/v1/segments", Map.of("name", "x", "kind", "cluster", "clusterId", 1)),
                    "segments:write");
            client.useBearerToken(tokens.password("marketer", "marketer", List.of("members:read")));
            assertEquals(200, client.get(segment + "/v1/segments/" + buyersId + "/members").status());
            assertRefused(client.get(segment + "/v1/segments/" + buyersId + "/members?format=csv"), "members:export");
            assertRefused(client.post(segment + "/v1/subscribers/" + subscriber + "/sends", Map.of()), "sends:write");
            // the services' own clients: model-service exports members but cannot look a subscriber up;
            // segment-service's own token reads pages and sizes but changes nothing
            client.useBearerToken(tokens.clientCredentials("model-service", "model-service-secret",
                    List.of("members:export")));
            assertRefused(client.get(segment + "/v1/subscribers/" + subscriber + "/segments"), "members:read");
            client.useBearerToken(tokens.clientCredentials("segment-service", "segment-service-secret", null));
            assertRefused(client.delete(segment + "/v1/segments/" + buyersId), "segments:write");
            client.useBearerToken(operator);
            assertEquals(200, client.get(segment + "/v1/subscribers/" + subscriber + "/segments").status());
        } finally {
            client.useBearerToken(operator);
        }
    }

    private void assertRefused(CohortClient.Reply reply, String scope) {
        assertProblem(reply, 403, null);
        assertTrue(reply.body().path("detail").asText().contains("'" + scope + "'"), String.valueOf(reply.body()));
    }

    /** The group.instance.id of every member of a consumer group. */
    private Set<String> staticMembers(String group) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                suite.stack.kafkaBootstrapServers()))) {
            return await(group + " has members").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> admin.describeConsumerGroups(List.of(group)).all().get().get(group).members()
                            .stream().map(m -> m.groupInstanceId().orElse("(dynamic)")).collect(Collectors.toSet()),
                            members -> !members.isEmpty());
        }
    }

    /** Folds the scores topic into the latest value of one score per subscriber (of one model version, if given). */
    private void latestScores(TopicRecords topic, String score, Integer version, Map<String, Double> into) throws Exception {
        for (var record : topic.poll()) {
            if (record.value() == null) {
                continue;
            }
            JsonNode value = json.readTree(record.value());
            JsonNode v = value.path("scores").path(score);
            if (v.isNumber() && (version == null || value.path("modelVersions").path(score).asInt() == version)) {
                into.put(record.key(), v.asDouble());
            }
        }
    }

    private Map<String, Object> anonymousCall(String anonymousId, String type, int daysAgo, Map<String, Object> fields) {
        return call("anonymousId", anonymousId, type, now.minus(Duration.ofDays(daysAgo)), fields);
    }

    private double feature(String subscriberId, String name) {
        CohortClient.Reply reply = client.features(subscriberId);
        return reply.status() == 200 ? reply.body().path("features").path(name).asDouble(-1) : -1;
    }

    private Map<String, Object> group(String userId, String accountId, int tier, boolean target) {
        return abmCall(userId, "group", 10, Map.of("groupId", accountId, "traits", Map.of("tier", tier, "target", target)));
    }


    /** Five deliveries over the last ten days; the most recent {@code opened} of them opened. */
    private void sends(List<Map<String, Object>> calls, String userId, int opened) {
        for (int s = 0; s < 5; s++) {
            Instant at = now.minus(Duration.ofDays(2L * s + 1));
            String campaign = "abm-campaign-" + s;
            calls.add(abmCall(userId, "track", at, Map.of("event", CanonicalEvents.EMAIL_DELIVERED,
                    "properties", Map.of("campaignId", campaign))));
            if (s < opened) {
                calls.add(abmCall(userId, "track", at.plus(Duration.ofHours(1)), Map.of("event", CanonicalEvents.EMAIL_OPENED,
                        "properties", Map.of("campaignId", campaign))));
            }
        }
    }

    private Map<String, Object> abmCall(String userId, String type, int daysAgo, Map<String, Object> fields) {
        return abmCall(userId, type, now.minus(Duration.ofDays(daysAgo)), fields);
    }

    private Map<String, Object> abmCall(String userId, String type, Instant at, Map<String, Object> fields) {
        return call("userId", userId, type, at, fields);
    }

    /** A tracking call keyed by {@code userId} or {@code anonymousId}, with a message id derived from its content. */
    private static Map<String, Object> call(String idField, String id, String type, Instant at, Map<String, Object> fields) {
        Map<String, Object> call = new java.util.LinkedHashMap<>(fields);
        call.put("type", type);
        call.put(idField, id);
        call.put("messageId", idField + "-" + id + "-" + type + "-" + at.toEpochMilli() + "-" + fields.hashCode());
        call.put("timestamp", at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        return call;
    }

    private List<String> exitedSegments(String subscriberId) {
        return membershipEvents().stream()
                .filter(e -> e.subscriberId().equals(subscriberId) && e.change() == MembershipChange.EXITED)
                .map(SegmentMembershipEvent::segmentId).toList();
    }

    private void assertProblem(CohortClient.Reply reply, int status, String pointer) {
        assertEquals(status, reply.status(), String.valueOf(reply.body()));
        assertTrue(reply.contentType().startsWith("application/problem+json"), reply.contentType());
        assertEquals(status, reply.body().path("status").asInt());
        if (pointer != null) {
            List<String> pointers = new ArrayList<>();
            reply.body().path("errors").forEach(e -> pointers.add(e.path("pointer").asText()));
            assertTrue(pointers.contains(pointer), pointer + " not in " + pointers);
        }
    }

    private boolean vectorMatchesHistory(SampleSubscriber subscriber) {
        CohortClient.Reply reply = client.features(subscriber.id());
        if (reply.status() != 200) {
            return false;
        }
        JsonNode f = reply.body().path("features");
        return f.path(FeatureNames.EMAILS_DELIVERED_30D).asLong(-1) == subscriber.count(CanonicalEvents.EMAIL_DELIVERED, 30, now)
                && f.path(FeatureNames.EMAILS_OPENED_30D).asLong(-1) == subscriber.count(CanonicalEvents.EMAIL_OPENED, 30, now)
                && f.path(FeatureNames.EMAILS_CLICKED_30D).asLong(-1) == subscriber.count(CanonicalEvents.EMAIL_LINK_CLICKED, 30, now)
                && f.path(FeatureNames.ORDERS_90D).asLong(-1) == subscriber.count(CanonicalEvents.ORDER_COMPLETED, 90, now)
                && f.has(FeatureNames.DAYS_SINCE_LAST_OPEN) == (subscriber.count(CanonicalEvents.EMAIL_OPENED, 90, now) > 0);
    }

    /** The cluster model-service published for a subscriber under the given model version. */
    private int clusterOf(String subscriberId, int modelVersion) {
        try (TopicRecords scores = new TopicRecords(suite.stack.kafkaBootstrapServers(), Topics.SCORES)) {
            JsonNode[] latest = new JsonNode[1];
            await("scores for " + subscriberId).atMost(PATIENCE).until(() -> {
                for (var record : scores.pollKey(subscriberId)) {
                    JsonNode score = json.readTree(record.value());
                    if (score.path("cluster").path("modelVersion").asInt() == modelVersion) {
                        latest[0] = score;
                    }
                }
                return latest[0] != null;
            });
            return latest[0].path("cluster").path("clusterId").asInt();
        }
    }

    private List<SegmentMembershipEvent> membershipEvents() {
        return membershipEvents.events();
    }

    private Map<String, String> membershipKeys() {
        return membershipEvents.records().stream().collect(Collectors.toMap(
                r -> {
                    try {
                        return json.readTree(r.value()).path("eventId").asText();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                },
                r -> r.key(), (a, b) -> a));
    }

    private Set<String> ids(java.util.function.Predicate<SampleSubscriber> filter) {
        return audience.stream().filter(filter).map(SampleSubscriber::id).collect(Collectors.toCollection(TreeSet::new));
    }
}
