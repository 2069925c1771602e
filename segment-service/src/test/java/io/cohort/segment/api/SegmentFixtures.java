package io.cohort.segment.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.MembershipChange;
import io.cohort.contracts.SegmentMembershipEvent;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.TopicRecords;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * What segment-service's integration tests share: segment definitions tied to a per-test marker,
 * feature and score records written straight onto the devstack's topics, and the membership
 * events read back.
 */
final class SegmentFixtures {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private SegmentFixtures() {
    }

    /** Unique per test, so a segment only ever matches the subscribers its own test made. */
    static int uniqueNumber() {
        return ThreadLocalRandom.current().nextInt(1_000, 1_000_000_000);
    }

    /** Opened ≥ {@code minOpens} in 30 days AND orders_90d = marker (the marker isolates the test). */
    static String ruleBody(String name, int minOpens, int marker, Number holdoutPercent) {
        return "{\"name\":\"" + name + "\",\"kind\":\"rule\",\"condition\":{\"all\":["
                + "{\"feature\":\"emails_opened_30d\",\"op\":\"gte\",\"value\":" + minOpens + "},"
                + "{\"feature\":\"orders_90d\",\"op\":\"eq\",\"value\":" + marker + "}]}"
                + (holdoutPercent == null ? "" : ",\"holdoutPercent\":" + holdoutPercent) + "}";
    }

    static String clusterBody(String name, int clusterId, Number holdoutPercent) {
        return "{\"name\":\"" + name + "\",\"kind\":\"cluster\",\"clusterId\":" + clusterId
                + (holdoutPercent == null ? "" : ",\"holdoutPercent\":" + holdoutPercent) + "}";
    }

    /** Creates the segment and returns its id. */
    static String create(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/segments").then().statusCode(201)
                .extract().jsonPath().getString("id");
    }

    static String featuresJson(String subscriber, long version, Map<String, Double> features) {
        String values = features.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(Collectors.joining(","));
        return "{\"schemaVersion\":1,\"subscriberId\":\"" + subscriber + "\",\"version\":" + version
                + ",\"computedAt\":\"" + T0 + "\",\"features\":{" + values + "}}";
    }

    static void sendFeatures(String subscriber, long version, Map<String, Double> features) {
        TopicRecords.send(bootstrap(), Topics.FEATURES, subscriber, featuresJson(subscriber, version, features));
    }

    static void sendScores(String subscriber, long featureVersion, int clusterId) {
        sendScores(subscriber, featureVersion, T0, clusterId, 1);
    }

    static void sendScores(String subscriber, long featureVersion, Instant scoredAt, int clusterId, int modelVersion) {
        TopicRecords.send(bootstrap(), Topics.SCORES, subscriber, "{\"schemaVersion\":1,\"subscriberId\":\""
                + subscriber + "\",\"featureVersion\":" + featureVersion + ",\"scoredAt\":\"" + scoredAt
                + "\",\"cluster\":{\"modelFamily\":\"behavioural-kmeans\",\"modelVersion\":" + modelVersion
                + ",\"clusterId\":" + clusterId + ",\"clusterName\":\"Cluster " + clusterId + "\"},"
                + "\"scores\":{\"p_click_7d\":0.4},\"modelVersions\":{\"behavioural-kmeans\":" + modelVersion + "}}");
    }

    /** The membership events published so far for a subscriber and segment, in order; each keyed by its subscriber. */
    static List<SegmentMembershipEvent> events(TopicRecords membershipEvents, ObjectMapper json, String subscriber,
            String segmentId) {
        List<SegmentMembershipEvent> events = new ArrayList<>();
        for (var record : membershipEvents.pollKey(subscriber)) {
            SegmentMembershipEvent event;
            try {
                event = json.readValue(record.value(), SegmentMembershipEvent.class);
            } catch (Exception e) {
                throw new AssertionError("unreadable membership event: " + record.value(), e);
            }
            if (event.segmentId().equals(segmentId)) {
                assertEquals(subscriber, event.subscriberId());
                events.add(event);
            }
        }
        return events;
    }

    static List<MembershipChange> changes(TopicRecords membershipEvents, ObjectMapper json, String subscriber,
            String segmentId) {
        return events(membershipEvents, json, subscriber, segmentId).stream().map(SegmentMembershipEvent::change)
                .toList();
    }

    /**
     * Opens a transaction that holds the subscriber's view row locked (FOR UPDATE) until the
     * returned connection commits or closes: what a slow concurrent writer of the view looks like.
     */
    static java.sql.Connection lockView(javax.sql.DataSource dataSource, String subscriber)
            throws java.sql.SQLException {
        java.sql.Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        try (var lock = connection.prepareStatement(
                "select 1 from subscriber_view where subscriber_id = ? for update")) {
            lock.setString(1, subscriber);
            lock.executeQuery().close();
        }
        return connection;
    }

    static String bootstrap() {
        return DevStack.shared().kafkaBootstrapServers();
    }
}
