package io.cohort.segment.api;

import static io.cohort.segment.api.SegmentFixtures.bootstrap;
import static io.cohort.segment.api.SegmentFixtures.changes;
import static io.cohort.segment.api.SegmentFixtures.create;
import static io.cohort.segment.api.SegmentFixtures.ruleBody;
import static io.cohort.segment.api.SegmentFixtures.sendFeatures;
import static io.cohort.segment.api.SegmentFixtures.uniqueNumber;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.MembershipChange;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.segment.persistence.Jdbc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The streams engine (preview) against the devstack broker: a vector on cohort.features.v1 leads to
 * one entered event from the Kafka Streams topology, the lookup answers from its store (through the
 * owner check of an interactive query), and the feature tombstone exits the membership. The
 * PostgreSQL path stays off: no view row is written.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
@TestProfile(StreamsEngineTest.StreamsEngine.class)
class StreamsEngineTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static TopicRecords membershipEvents;

    @Inject
    ObjectMapper json;
    @Inject
    KafkaStreams streams;
    @Inject
    Jdbc jdbc;

    @BeforeAll
    static void read() {
        membershipEvents = new TopicRecords(bootstrap(), Topics.SEGMENT_MEMBERSHIP);
    }

    @AfterAll
    static void close() {
        membershipEvents.close();
    }

    @Test
    void aVectorEntersThroughTheStreamAndTheLookupAnswersFromTheStore() {
        await().atMost(WAIT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        int marker = uniqueNumber();
        String subscriber = "streams-" + marker;
        String segment = create(ruleBody("Streams openers " + marker, 2, marker, null));

        sendFeatures(subscriber, 1, Map.of("emails_opened_30d", 3.0, "orders_90d", (double) marker));
        await().atMost(WAIT).until(() -> changes(membershipEvents, json, subscriber, segment),
                c -> c.equals(List.of(MembershipChange.ENTERED)));
        given().get("/v1/subscribers/{id}/segments", subscriber).then().statusCode(200)
                .body("subscriberId", equalTo(subscriber))
                .body("segments.segmentId", contains(segment))
                .body("segments[0].holdout", equalTo(false));
        given().get("/v1/subscribers/{id}/segments?explain=true", subscriber).then().statusCode(200)
                .body("segments[0].explanation.passed", equalTo(true));

        sendFeatures(subscriber, 2, Map.of("emails_opened_30d", 3.0, "orders_90d", (double) marker));
        TopicRecords.send(bootstrap(), Topics.FEATURES, subscriber, null);
        await().atMost(WAIT).until(() -> changes(membershipEvents, json, subscriber, segment),
                c -> c.equals(List.of(MembershipChange.ENTERED, MembershipChange.EXITED)));
        given().get("/v1/subscribers/{id}/segments", subscriber).then().statusCode(200).body("segments", empty());
        assertEquals(0, jdbc.query("select count(*) from subscriber_view where subscriber_id = ?",
                s -> s.setString(1, subscriber), row -> row.getInt(1)).get(0), "the PostgreSQL path stayed off");
    }

    public static class StreamsEngine implements QuarkusTestProfile {

        private static final int PORT = freePort();
        private static final String RUN = UUID.randomUUID().toString();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "cohort.segment.engine", "streams",
                    "mp.messaging.incoming.features-in.enabled", "false",
                    "mp.messaging.incoming.scores-in.enabled", "false",
                    "quarkus.kafka-streams.application-id", "segment-service-test-" + RUN,
                    "kafka-streams.state.dir", "target/kafka-streams/" + RUN,
                    "kafka-streams.commit.interval.ms", "100",
                    "quarkus.http.test-port", String.valueOf(PORT),
                    "quarkus.kafka-streams.application-server", "localhost:" + PORT);
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
