package io.cohort.feature.messaging;

import static io.cohort.feature.messaging.FeatureTopics.track;
import static io.cohort.feature.messaging.FeatureTopics.vectors;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.cohort.feature.persistence.FeatureStore;
import io.cohort.feature.streaming.StreamsRfm;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The streams engine against the devstack broker and PostgreSQL: events in, one coalesced vector
 * out on cohort.features.v1 from the Kafka Streams topology, with exactly the features the postgres
 * engine computes from the history rows the same events still write; the lookup answers from the
 * store (interactive query), and the PostgreSQL history (profile, timeline) is still written. An
 * erasure ends the subscriber's key with a tombstone, and neither the store nor the history knows them after.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
@TestProfile(StreamsEngineTest.StreamsEngine.class)
class StreamsEngineTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static TopicRecords features;

    @Inject
    KafkaStreams streams;
    @Inject
    FeatureStore store;
    @Inject
    StreamsRfm rfm;
    @Inject
    EventConsumer consumer;

    public static class StreamsEngine implements QuarkusTestProfile {

        // application.server must name the port the test server really listens on (the lookup compares them)
        private static final int PORT = freePort();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cohort.feature.engine", "streams",
                    "kafka-streams.state.dir", "target/kafka-streams/" + UUID.randomUUID(),
                    "quarkus.http.test-port", String.valueOf(PORT),
                    "quarkus.kafka-streams.application-server", "localhost:" + PORT);
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

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

    @Test
    void eventsBecomeThePostgresEnginesVectorThroughTheStreamAndTheLookupReadsTheStore() {
        await().atMost(WAIT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        rfm.refresh(); // both engines score against the same boundaries
        String user = "streams-" + UUID.randomUUID();
        String account = "acct-" + UUID.randomUUID();
        EventEnvelope linked = new EventEnvelope(1, UUID.randomUUID().toString(), EventType.TRACK, user, null, account,
                CanonicalEvents.EMAIL_DELIVERED, null, Map.of("emailId", "e1"), null, null, daysAgo(2), null,
                daysAgo(2));
        List<EventEnvelope> history = List.of(
                track(user, CanonicalEvents.EMAIL_DELIVERED, null, daysAgo(40)),
                linked,
                track(user, CanonicalEvents.EMAIL_OPENED, Map.of("emailId", "e1"), daysAgo(2)),
                track(user, CanonicalEvents.EMAIL_OPENED, Map.of("machineOpen", true), daysAgo(0)),
                track(user, CanonicalEvents.EMAIL_LINK_CLICKED, null, daysAgo(1)),
                track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 20.5, "total", 25), daysAgo(60)),
                track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("total", 7), daysAgo(3)),
                track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 100), daysAgo(100)));
        history.forEach(FeatureTopics::send);

        // the postgres engine's computation of the same subscriber from the rows the history consumer wrote
        FeatureVector[] expected = new FeatureVector[1];
        await().atMost(WAIT).until(() -> {
            expected[0] = postgresVector(user).orElse(null);
            FeatureVector streamed = latestStreamed(user);
            // the last event sent is the third order: with it both engines have applied everything, as
            // events of one subscriber are applied in order; the account rollup must have come back too
            return complete(expected[0]) && complete(streamed)
                    && expected[0].features().equals(streamed.features())
                    && expected[0].labelsOrEmpty().equals(streamed.labelsOrEmpty());
        });
        FeatureVector streamed = latestStreamed(user);
        assertEquals(1.0, streamed.features().get(FeatureNames.EMAILS_DELIVERED_30D), "the 40-day-old one is out");
        assertEquals(1.0, streamed.features().get(FeatureNames.ENGAGED_SENDS_LAST_5));
        assertEquals(3.0, streamed.features().get(FeatureNames.ORDERS_TOTAL));
        assertEquals(1.0, streamed.features().get(FeatureNames.ACCOUNT_CONTACTS), "the rollup came back from the account");
        assertEquals(account, streamed.labels().get(FeatureNames.ACCOUNT_ID));

        FeatureVector overHttp = given().get("/v1/subscribers/{id}/features", user).then().statusCode(200)
                .contentType("application/json").extract().as(FeatureVector.class);
        assertEquals(streamed, overHttp, "the lookup answers from the store: the vector as last published");
        given().get("/v1/subscribers/{id}/features", "never-seen-" + UUID.randomUUID()).then().statusCode(404);

        // the PostgreSQL history is still written (timeline, profile: training sets and exports read it)
        given().get("/v1/subscribers/{id}/profile", user).then().statusCode(200).body("accountId", equalTo(account));
        given().get("/v1/subscribers/{id}/timeline", user).then().statusCode(200)
                .body("items.size()", greaterThan(0));
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void anErasureTombstonesTheVectorAndEveryStoreForgetsTheSubscriber() {
        await().atMost(WAIT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        String user = "streams-erased-" + UUID.randomUUID();
        FeatureTopics.send(track(user, CanonicalEvents.EMAIL_OPENED, null, daysAgo(1)));
        await().atMost(WAIT).until(() -> latestStreamed(user) != null);

        TopicRecords.send(FeatureTopics.bootstrap(), Topics.ERASURE, user, FeatureTopics.json(
                new ErasureRequest(ErasureRequest.SCHEMA_VERSION, UUID.randomUUID().toString(), user, Instant.now())));
        await().atMost(WAIT).until(() -> {
            List<FeatureVector> published = vectors(features, user);
            return !published.isEmpty() && published.get(published.size() - 1) == null;
        });
        // the store (interactive query) and the PostgreSQL history both forget the subscriber
        await().atMost(WAIT).until(() -> given().get("/v1/subscribers/{id}/features", user).statusCode() == 404);
        await().atMost(WAIT).until(() -> given().get("/v1/subscribers/{id}/profile", user).statusCode() == 404);
    }

    /**
     * The history consumer under this engine, given one poll as the connector hands it over (so
     * exactly these records share it): a record PostgreSQL refuses (a NUL in a property) fails the
     * poll's set-based writes, the poll is applied event by event, and only that record is
     * dead-lettered; a repeated message id is applied once; an event of a subscriber erased after it
     * was received writes nothing back. No vector comes from this consumer under streams.
     */
    @Test
    void aPollWithARecordPostgresRefusesWritesTheRestOfTheHistoryAndDeadLettersOnlyIt() throws Exception {
        String run = "history-poll-" + UUID.randomUUID() + "-";
        String a = run + "a";
        String b = run + "b";
        String poison = run + "poison";
        String erased = run + "erased";
        Instant now = Instant.now();
        EventEnvelope opened = track(a, CanonicalEvents.EMAIL_OPENED, null, now.minusSeconds(60));
        EventEnvelope beforeErasure = track(erased, CanonicalEvents.EMAIL_OPENED, null, now.minusSeconds(30));
        store.erase(erased, now);
        List<EventEnvelope> poll = List.of(opened,
                track(poison, CanonicalEvents.EMAIL_OPENED, Map.of("n", "a\u0000b"), now.minusSeconds(50)),
                track(b, CanonicalEvents.EMAIL_LINK_CLICKED, null, now.minusSeconds(40)),
                opened, // a second copy of the same message id
                beforeErasure,
                track(a, CanonicalEvents.EMAIL_LINK_CLICKED, null, now.minusSeconds(20)));
        List<ConsumerRecord<String, byte[]>> records = new java.util.ArrayList<>();
        long offset = 900_000_000L + (UUID.randomUUID().getMostSignificantBits() & 0xffffffL) * 100;
        for (EventEnvelope event : poll) {
            records.add(new ConsumerRecord<>(Topics.EVENTS, 0, offset++, event.subscriberKey(),
                    FeatureTopics.json(event).getBytes(StandardCharsets.UTF_8)));
        }

        try (TopicRecords deadLetters = new TopicRecords(FeatureTopics.bootstrap(), Topics.FEATURE_SERVICE_DLQ)) {
            consumer.consume(new ConsumerRecords<>(Map.of(new TopicPartition(Topics.EVENTS, 0), records), Map.of()));

            assertEquals(2, store.timeline(a, null, null, 100).orElseThrow().size(), "a's open once, and its click");
            assertEquals(opened.messageId(), store.timeline(a, null, null, 100).orElseThrow().get(1).messageId());
            assertEquals(1, store.timeline(b, null, null, 100).orElseThrow().size());
            assertTrue(store.profile(erased).isEmpty(), "the erased subscriber is not written back");
            assertTrue(store.profile(poison).isEmpty(), "the refused event left nothing");
            ConsumerRecord<String, String> letter = await().atMost(WAIT).until(() -> deadLetters.pollKey(poison),
                    r -> !r.isEmpty()).get(0);
            assertEquals(new String(records.get(1).value(), StandardCharsets.UTF_8), letter.value());
            assertTrue(new String(letter.headers().lastHeader(io.cohort.contracts.DeadLetterHeaders.ERROR).value(),
                    StandardCharsets.UTF_8).contains("PSQLException"), "the database's refusal is named");
            assertEquals(1, deadLetters.poll().stream().filter(r -> r.key() != null && r.key().startsWith(run))
                    .count(), "only the refused record is dead-lettered");
            for (String id : List.of(a, b)) {
                assertTrue(vectors(features, id).isEmpty(), "the history consumer publishes no vector here");
            }
        }
    }

    /** The vector the postgres engine's recompute gives the subscriber now (their rows are marked by the history writes). */
    private Optional<FeatureVector> postgresVector(String user) {
        return store.accountRefreshBatch(100_000).toPublish().stream()
                .filter(v -> v.subscriberId().equals(user)).findFirst();
    }

    private static boolean complete(FeatureVector vector) {
        return vector != null && Double.valueOf(3.0).equals(vector.features().get(FeatureNames.ORDERS_TOTAL))
                && vector.features().containsKey(FeatureNames.ACCOUNT_CONTACTS);
    }

    private static FeatureVector latestStreamed(String user) {
        List<FeatureVector> published = vectors(features, user);
        return published.isEmpty() ? null : published.get(published.size() - 1);
    }
}
