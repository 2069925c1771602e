package io.cohort.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.MembershipChange;
import io.cohort.contracts.SegmentMembershipEvent;
import io.cohort.devstack.sample.CohortClient;
import io.cohort.devstack.security.TokenClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Scaling is real (issue 16, item 4): two instances each of feature-service and segment-service on
 * their Kafka Streams engines share the partitions; one of each is killed mid-stream (SIGKILL), the
 * others take their partitions over from the changelogs, and results stay exact — every event
 * counted once in the features, one entered event per subscriber, none lost, none doubled — while
 * both lookup APIs answer for every subscriber whichever instance is asked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamsFailoverEndToEndTest {

    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final int PER_WAVE = 40;
    private static final String SECOND = "segment-service-b";
    private static final String FEATURE_SECOND = "feature-service-b";

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private CohortSuite suite;
    private CohortClient client;
    private MembershipEvents membershipEvents;
    private String segmentId;

    @BeforeAll
    void startSuite() throws Exception {
        // the default configuration: both services on their streams engines
        suite = CohortSuite.start();
        client = suite.client;
        suite.startInstance("segment-service", SECOND);
        suite.startInstance("feature-service", FEATURE_SECOND);
        membershipEvents = new MembershipEvents(suite.stack.kafkaBootstrapServers());
    }

    @AfterAll
    void stopSuite() throws Exception {
        try {
            if (segmentId != null) {
                // the definitions live on in the shared database: the other end-to-end tests must not see this
                // one; through the second instance, which is never killed
                client.delete(suite.instances.get(SECOND).baseUrl() + "/v1/segments/" + segmentId);
            }
        } finally {
            if (membershipEvents != null) {
                membershipEvents.close();
            }
            if (suite != null) {
                suite.close();
            }
        }
    }

    @Test
    void anInstanceOfEachEngineKilledMidStreamHandsOverWithExactResultsAndEveryLookupAnswers() throws Exception {
        segmentId = client.createSegment(Map.of("name", "e2e streams openers " + run, "kind", "rule",
                "condition", Map.of("feature", "emails_opened_7d", "op", "gte", "value", 1))).path("id").asText();
        String first = suite.services.get(CohortSuite.MODULES.indexOf("segment-service")).baseUrl();
        String second = suite.instances.get(SECOND).baseUrl();
        String featureFirst = suite.services.get(CohortSuite.MODULES.indexOf("feature-service")).baseUrl();
        String featureSecond = suite.instances.get(FEATURE_SECOND).baseUrl();

        List<String> before = openers("before", 0);
        awaitEntered(segmentId, before);
        assertEquals(2, instancesWithPartitions("segment-service-memberships"),
                "both segment-service instances hold partitions before one is killed");
        assertEquals(2, instancesWithPartitions("feature-service-features"),
                "both feature-service instances hold partitions before one is killed");
        for (String subscriber : before) {
            assertMember(first, subscriber, segmentId);
            assertMember(second, subscriber, segmentId);
            assertOpenedOnce(featureFirst, subscriber);
            assertOpenedOnce(featureSecond, subscriber);
        }
        tokensBetweenInstances(List.of(first, second), before);

        suite.kill("feature-service");
        suite.kill("segment-service");
        List<String> after = openers("after", 1);
        List<String> everyone = new ArrayList<>(before);
        everyone.addAll(after);
        awaitEntered(segmentId, everyone);
        for (String subscriber : everyone) {
            awaitMember(second, subscriber, segmentId);
            awaitOpenedOnce(featureSecond, subscriber);
        }
        Map<String, Integer> entered = new TreeMap<>();
        // only this test's subscribers: the backfill of the new segment also (rightly) enrols earlier tests' openers
        String prefix = "e2e-streams-" + run + "-";
        for (SegmentMembershipEvent e : membershipEvents()) {
            if (e.segmentId().equals(segmentId) && e.subscriberId().startsWith(prefix)) {
                assertEquals(MembershipChange.ENTERED, e.change(), "no one left the segment: " + e);
                entered.merge(e.subscriberId(), 1, Integer::sum);
            }
        }
        Map<String, Integer> once = new TreeMap<>();
        everyone.forEach(s -> once.put(s, 1));
        assertEquals(once, entered, "exactly one entered event per subscriber, across the failover");

        suite.restart("feature-service");
        suite.restart("segment-service");
        for (String subscriber : everyone) {
            awaitMember(first, subscriber, segmentId);
            awaitOpenedOnce(featureFirst, subscriber);
        }
    }

    /**
     * Issue 17 across instances: a lookup forwarded to the owner carries the caller's token (a viewer
     * is refused wherever the subscriber lives, the operator answered: {@link #assertMember} above), and
     * the member pages and sizes each instance merges from the other's partitions are asked with
     * segment-service's own token, so either instance lists every member for a caller holding only
     * the operation's scope.
     */
    private void tokensBetweenInstances(List<String> instances, List<String> members) {
        TokenClient tokens = new TokenClient(suite.stack.tokens().issuer());
        String operator = tokens.password("operator", "operator", null);
        try {
            for (String instance : instances) {
                client.useBearerToken(null);
                assertEquals(401, lookup(instance, members.get(0)).status(), "no token at " + instance);
                client.useBearerToken(tokens.password("viewer", "viewer", null));
                for (String subscriber : members.subList(0, 4)) {
                    CohortClient.Reply refused = lookup(instance, subscriber);
                    assertEquals(403, refused.status(), instance + " " + subscriber + ": " + refused.body());
                    assertTrue(refused.body().path("detail").asText().contains("'members:read'"),
                            String.valueOf(refused.body()));
                }
                // sizes are segments:read: the other instance's share is asked with segment-service's token
                JsonNode size = client.get(instance + "/v1/segments/" + segmentId + "/size").expect(200).body();
                assertTrue(size.path("size").asInt() >= members.size(), instance + ": " + size);
                client.useBearerToken(tokens.password("marketer", "marketer", List.of("members:read")));
                List<String> listed = new ArrayList<>();
                String cursor = null;
                do {
                    JsonNode page = client.get(instance + "/v1/segments/" + segmentId + "/members?limit=1000"
                            + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)))
                            .expect(200).body();
                    page.path("items").forEach(item -> listed.add(item.path("subscriberId").asText()));
                    cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
                } while (cursor != null);
                assertTrue(listed.containsAll(members), instance + " lists both instances' members: " + listed);
            }
        } finally {
            client.useBearerToken(operator);
        }
    }

    /** How many members of a Kafka Streams application's group hold at least one partition. */
    private long instancesWithPartitions(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                suite.stack.kafkaBootstrapServers()))) {
            return await("the group's assignment settles").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> admin.describeConsumerGroups(List.of(group)).all().get().get(group).members()
                            .stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count(), n -> n == 2);
        }
    }

    /** Sends one human "Email Opened" for each of a wave of new subscribers; returns their ids. */
    private List<String> openers(String wave, int hoursAgo) {
        Instant at = Instant.now().minus(Duration.ofHours(hoursAgo + 1L)).truncatedTo(ChronoUnit.SECONDS);
        List<String> ids = new ArrayList<>();
        List<Map<String, Object>> calls = new ArrayList<>();
        for (int i = 0; i < PER_WAVE; i++) {
            String id = "e2e-streams-" + run + "-" + wave + "-" + i;
            ids.add(id);
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("type", "track");
            call.put("userId", id);
            call.put("event", CanonicalEvents.EMAIL_OPENED);
            call.put("properties", Map.of("campaignId", "streams-" + wave));
            call.put("messageId", id + "-open");
            call.put("timestamp", at.toString());
            calls.add(call);
        }
        assertEquals(PER_WAVE, client.sendBatches(calls, 20)[0], "every open accepted");
        return ids;
    }

    private void awaitEntered(String segmentId, List<String> subscribers) {
        await(subscribers.size() + " subscribers entered").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> membershipEvents().stream()
                        .filter(e -> e.segmentId().equals(segmentId) && e.change() == MembershipChange.ENTERED)
                        .map(SegmentMembershipEvent::subscriberId).distinct()
                        .filter(subscribers::contains).count() == subscribers.size());
    }

    private void assertMember(String baseUrl, String subscriber, String segmentId) {
        CohortClient.Reply reply = lookup(baseUrl, subscriber);
        assertEquals(200, reply.status(), baseUrl + " " + subscriber + ": " + reply.body());
        assertTrue(segmentIds(reply.body()).contains(segmentId), baseUrl + " " + subscriber + ": " + reply.body());
    }

    /** Waits out a rebalance (503 with Retry-After while partitions move), then checks the answer. */
    private void awaitMember(String baseUrl, String subscriber, String segmentId) {
        await(baseUrl + " answers for " + subscriber).atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                .until(() -> lookup(baseUrl, subscriber).status() != 503);
        assertMember(baseUrl, subscriber, segmentId);
    }

    /** One open was sent per subscriber: counted exactly once, whichever instance folded it. */
    private void assertOpenedOnce(String baseUrl, String subscriber) {
        CohortClient.Reply reply = client.get(baseUrl + "/v1/subscribers/"
                + URLEncoder.encode(subscriber, StandardCharsets.UTF_8) + "/features");
        assertEquals(200, reply.status(), baseUrl + " " + subscriber + ": " + reply.body());
        assertEquals(1.0, reply.body().path("features").path("emails_opened_7d").asDouble(-1),
                baseUrl + " " + subscriber + ": " + reply.body());
    }

    /** Waits out a rebalance or restore (503 with Retry-After), then checks the count. */
    private void awaitOpenedOnce(String baseUrl, String subscriber) {
        await(baseUrl + " answers features of " + subscriber).atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                .until(() -> client.get(baseUrl + "/v1/subscribers/" + URLEncoder.encode(subscriber, StandardCharsets.UTF_8)
                        + "/features").status() != 503);
        assertOpenedOnce(baseUrl, subscriber);
    }

    private CohortClient.Reply lookup(String baseUrl, String subscriber) {
        return client.get(baseUrl + "/v1/subscribers/" + URLEncoder.encode(subscriber, StandardCharsets.UTF_8)
                + "/segments");
    }

    private static List<String> segmentIds(JsonNode body) {
        List<String> ids = new ArrayList<>();
        body.path("segments").forEach(s -> ids.add(s.path("segmentId").asText()));
        return ids;
    }

    private List<SegmentMembershipEvent> membershipEvents() {
        return membershipEvents.events();
    }
}
