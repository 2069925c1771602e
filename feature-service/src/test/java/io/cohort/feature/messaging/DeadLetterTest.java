package io.cohort.feature.messaging;

import static io.cohort.feature.messaging.FeatureTopics.send;
import static io.cohort.feature.messaging.FeatureTopics.sendRaw;
import static io.cohort.feature.messaging.FeatureTopics.track;
import static io.cohort.feature.messaging.FeatureTopics.vectors;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.DeadLetterHeaders;
import io.cohort.contracts.ErasureRequest;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records feature-service can never process, produced straight to the topics (ingest would refuse
 * them): they go to cohort.feature-service.dlq.v1 and the partition moves on.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class DeadLetterTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static TopicRecords features;
    private static TopicRecords events;
    private static TopicRecords erasures;
    private static TopicRecords deadLetters;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void open() {
        features = new TopicRecords(FeatureTopics.bootstrap(), Topics.FEATURES);
        events = new TopicRecords(FeatureTopics.bootstrap(), Topics.EVENTS);
        erasures = new TopicRecords(FeatureTopics.bootstrap(), Topics.ERASURE);
        deadLetters = new TopicRecords(FeatureTopics.bootstrap(), Topics.FEATURE_SERVICE_DLQ);
    }

    @AfterAll
    static void close() {
        features.close();
        events.close();
        erasures.close();
        deadLetters.close();
    }

    private double deadLettered(String channel) {
        var counter = registry.find("cohort.dead.letters").tag("channel", channel).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void eventsThatCannotBeStoredAreDeadLetteredAndEveryoneElseIsApplied() throws Exception {
        double before = deadLettered(EventConsumer.CHANNEL);
        Instant now = Instant.now();
        String nulProperty = "nul-prop-" + UUID.randomUUID();
        String ancient = "ancient-" + UUID.randomUUID();
        String nulId = "a\u0000b-" + UUID.randomUUID();
        String unreadable = "unreadable-" + UUID.randomUUID();
        send(track(nulProperty, CanonicalEvents.EMAIL_OPENED, Map.of("n", "a\u0000b"), now));
        send(track(ancient, CanonicalEvents.EMAIL_OPENED, null, Instant.parse("-5000-01-01T00:00:00Z")));
        send(new EventEnvelope(1, UUID.randomUUID().toString(), EventType.TRACK, nulId, null, null,
                CanonicalEvents.CONSENT_UPDATED, null, Map.of("channel", "email", "granted", true), null, null, now,
                null, now));
        sendRaw(unreadable, "{this is not json");
        List<String> good = List.of("good-" + UUID.randomUUID(), "good-" + UUID.randomUUID(), "good-" + UUID.randomUUID());
        good.forEach(user -> send(track(user, CanonicalEvents.EMAIL_LINK_CLICKED, null, now)));

        for (String user : good) {
            List<FeatureVector> published = await().atMost(WAIT).until(() -> vectors(features, user),
                    p -> !p.isEmpty());
            assertEquals(1.0, published.get(0).features().get(FeatureNames.EMAILS_CLICKED_30D));
        }
        for (String poison : List.of(nulProperty, ancient, nulId, unreadable)) {
            ConsumerRecord<String, String> original = await().atMost(WAIT).until(() -> events.pollKey(poison),
                    r -> !r.isEmpty()).get(0);
            ConsumerRecord<String, String> dead = await().atMost(WAIT).until(() -> deadLetters.pollKey(poison),
                    r -> !r.isEmpty()).get(0);
            assertEquals(original.value(), dead.value(), "the original bytes, for inspection and replay");
            assertEquals(Topics.EVENTS, header(dead, DeadLetterHeaders.TOPIC));
            assertEquals(Integer.toString(original.partition()), header(dead, DeadLetterHeaders.PARTITION));
            assertEquals(Long.toString(original.offset()), header(dead, DeadLetterHeaders.OFFSET));
            assertEquals("feature-service", header(dead, DeadLetterHeaders.SERVICE));
            assertTrue(!header(dead, DeadLetterHeaders.ERROR).isBlank());
            Instant.parse(header(dead, DeadLetterHeaders.FAILED_AT));
            // a restart resumes after the poison record instead of failing on it again
            TopicPartition partition = new TopicPartition(Topics.EVENTS, original.partition());
            await().atMost(WAIT).until(() -> committed(partition) > original.offset());
            given().get("/v1/subscribers/{id}/features", poison.replace("\u0000", "")).then().statusCode(404);
        }
        assertTrue(header(await().atMost(WAIT).until(() -> deadLetters.pollKey(ancient), r -> !r.isEmpty()).get(0),
                DeadLetterHeaders.ERROR).contains("PSQLException"), "the database's refusal is named");
        assertTrue(deadLettered(EventConsumer.CHANNEL) >= before + 4);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("cohort_dead_letters_total{channel=\"events-in\""), "Prometheus shows the counter");
    }

    @Test
    void anErasureRequestThatNamesNobodyIsDeadLetteredAndLaterRequestsAreApplied() throws Exception {
        double before = deadLettered(ErasureConsumer.CHANNEL);
        String user = "u-" + UUID.randomUUID();
        send(track(user, CanonicalEvents.EMAIL_DELIVERED, null, Instant.now()));
        await().atMost(WAIT).until(() -> vectors(features, user), p -> !p.isEmpty());

        String garbage = "garbage-" + UUID.randomUUID();
        TopicRecords.send(FeatureTopics.bootstrap(), Topics.ERASURE, garbage, "{\"subscriberId\":");
        TopicRecords.send(FeatureTopics.bootstrap(), Topics.ERASURE, user, FeatureTopics.json(
                new ErasureRequest(ErasureRequest.SCHEMA_VERSION, UUID.randomUUID().toString(), user, Instant.now())));

        await().atMost(WAIT).until(() -> vectors(features, user), p -> p.stream().anyMatch(Objects::isNull));
        ConsumerRecord<String, String> original = await().atMost(WAIT).until(() -> erasures.pollKey(garbage),
                r -> !r.isEmpty()).get(0);
        ConsumerRecord<String, String> dead = await().atMost(WAIT).until(() -> deadLetters.pollKey(garbage),
                r -> !r.isEmpty()).get(0);
        assertArrayEquals(original.value().getBytes(StandardCharsets.UTF_8), dead.value().getBytes(StandardCharsets.UTF_8));
        assertEquals(Topics.ERASURE, header(dead, DeadLetterHeaders.TOPIC));
        assertEquals(Long.toString(original.offset()), header(dead, DeadLetterHeaders.OFFSET));
        assertTrue(deadLettered(ErasureConsumer.CHANNEL) >= before + 1);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static long committed(TopicPartition partition) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, FeatureTopics.bootstrap()))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets("feature-service").partitionsToOffsetAndMetadata()
                    .get().get(partition);
            return offset == null ? -1 : offset.offset();
        }
    }
}
