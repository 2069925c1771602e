package io.cohort.model.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.DeadLetterHeaders;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.model.FeatureFeed;
import io.cohort.model.FeatureFeed.Behaviour;
import io.cohort.model.TestDatabase;
import io.cohort.model.persistence.FeatureSnapshotRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The feature consumer works a poll at a time. The batches here are handed to it as the connector
 * would (one {@link ConsumerRecords}), so exactly these records share a poll; the database, the
 * scores topic and the dead-letter topic are the real ones. The records carry offsets far beyond
 * what the test topic holds, so they never collide with the ones the running consumer reads.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class FeatureBatchTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final AtomicLong OFFSETS = new AtomicLong(900_000_000L);

    @Inject
    TestDatabase db;
    @Inject
    ObjectMapper json;
    @Inject
    FeatureConsumer consumer;
    @Inject
    FeatureSnapshotRepository snapshots;

    @Test
    void anUnreadableRecordInAPollIsDeadLetteredAndTheOthersAreStoredAndPublished() throws Exception {
        FeatureFeed feed = new FeatureFeed(json);
        String run = "batch-unreadable-" + UUID.randomUUID() + "-";
        feed.ensureActiveClustering(run + "seed-", db);
        String poisonKey = run + "poison";
        List<ConsumerRecord<String, byte[]>> poll = new ArrayList<>();
        poll.add(record(run + "a", feed.json(run + "a", 1, FeatureFeed.behaviour(Behaviour.BUYER, 0))));
        poll.add(record(poisonKey, "{not json"));
        poll.add(record(run + "b", feed.json(run + "b", 1, FeatureFeed.behaviour(Behaviour.OPENER, 0))));
        // a newer version of a in the same poll: only it is stored and scored
        poll.add(record(run + "a", feed.json(run + "a", 2, FeatureFeed.behaviour(Behaviour.BUYER, 1))));

        consumer.consume(poll(poll));

        assertEquals(Optional.of(2L), db.snapshotVersion(run + "a"));
        assertEquals(Optional.of(1L), db.snapshotVersion(run + "b"));
        assertTrue(db.hasScoreRow(run + "a") && db.hasScoreRow(run + "b"), "both scored");
        try (TopicRecords scores = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.SCORES);
                TopicRecords dead = new TopicRecords(DevStack.shared().kafkaBootstrapServers(),
                        Topics.MODEL_SERVICE_DLQ)) {
            List<ConsumerRecord<String, String>> a = await().atMost(PATIENCE).until(() -> scores.pollKey(run + "a"),
                    r -> !r.isEmpty());
            assertEquals(1, a.size(), "a's superseded version is not published on its own");
            assertEquals(2, json.readTree(a.get(0).value()).get("featureVersion").asLong());
            await().atMost(PATIENCE).until(() -> !scores.pollKey(run + "b").isEmpty());
            ConsumerRecord<String, String> letter = await().atMost(PATIENCE).until(() -> dead.pollKey(poisonKey),
                    r -> !r.isEmpty()).get(0);
            assertEquals("{not json", letter.value());
            assertEquals(Topics.FEATURES, header(letter, DeadLetterHeaders.TOPIC));
            assertEquals(Long.toString(poll.get(1).offset()), header(letter, DeadLetterHeaders.OFFSET));
        }
    }

    @Test
    void aVectorTheDatabaseRefusesFailsItsBatchAloneAndTheOthersAreStoredAndPublished() throws Exception {
        FeatureFeed feed = new FeatureFeed(json);
        String run = "batch-refused-" + UUID.randomUUID() + "-";
        feed.ensureActiveClustering(run + "seed-", db);
        // PostgreSQL stores no NUL in text: the batch's upsert fails for good, so the poll is applied
        // vector by vector and only this one is dead-lettered
        String nul = run + "nul-\u0000";
        String nulValue = feed.json(nul, 1, FeatureFeed.behaviour(Behaviour.BUYER, 0));
        List<String> good = List.of(run + "a", run + "b", run + "c");
        List<ConsumerRecord<String, byte[]>> poll = new ArrayList<>();
        poll.add(record(good.get(0), feed.json(good.get(0), 1, FeatureFeed.behaviour(Behaviour.BUYER, 0))));
        poll.add(record(nul, nulValue));
        poll.add(record(good.get(1), feed.json(good.get(1), 1, FeatureFeed.behaviour(Behaviour.OPENER, 0))));
        poll.add(record(good.get(2), feed.json(good.get(2), 1, FeatureFeed.behaviour(Behaviour.DORMANT, 0))));

        consumer.consume(poll(poll));

        for (String id : good) {
            assertEquals(Optional.of(1L), db.snapshotVersion(id), id);
            assertTrue(db.hasScoreRow(id), id + " scored");
        }
        try (TopicRecords scores = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.SCORES);
                TopicRecords dead = new TopicRecords(DevStack.shared().kafkaBootstrapServers(),
                        Topics.MODEL_SERVICE_DLQ)) {
            for (String id : good) {
                await().atMost(PATIENCE).until(() -> !scores.pollKey(id).isEmpty());
            }
            ConsumerRecord<String, String> letter = await().atMost(PATIENCE).until(() -> dead.pollKey(nul),
                    r -> !r.isEmpty()).get(0);
            assertEquals(nulValue, letter.value(), "the original bytes");
            assertTrue(header(letter, DeadLetterHeaders.ERROR).contains("PSQLException"),
                    "the database's refusal is named");
            assertEquals(1, dead.pollKey(nul).size(), "dead-lettered once");
        }
    }

    @Test
    void aPollStoredButNotPublishedBeforeACrashPublishesEveryScoreAsUsualWhenRedelivered() throws Exception {
        FeatureFeed feed = new FeatureFeed(json);
        String run = "batch-redeliver-" + UUID.randomUUID() + "-";
        feed.ensureActiveClustering(run + "seed-", db);
        Instant computed = Instant.now().minus(1, ChronoUnit.MINUTES);
        Map<String, Map<String, Double>> features = new LinkedHashMap<>();
        Behaviour[] behaviours = Behaviour.values();
        for (int i = 0; i < 6; i++) {
            features.put("s" + i, FeatureFeed.behaviour(behaviours[i % behaviours.length], i));
        }
        // the same vectors under two prefixes: one poll delivered normally, one that crashed after its store
        List<ConsumerRecord<String, byte[]>> usual = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> crashed = new ArrayList<>();
        List<FeatureSnapshotRepository.Offered> storedBeforeTheCrash = new ArrayList<>();
        features.forEach((name, values) -> {
            usual.add(record(run + "usual-" + name, vector(run + "usual-" + name, computed, values)));
            crashed.add(record(run + "crashed-" + name, vector(run + "crashed-" + name, computed, values)));
            storedBeforeTheCrash.add(new FeatureSnapshotRepository.Offered(run + "crashed-" + name, 1, computed,
                    values));
        });
        consumer.consume(poll(usual));
        // what the consumer had done when the process died: the poll's transaction committed, the
        // scores were neither published nor recorded, the offsets not committed
        snapshots.storeAllIfNewer(storedBeforeTheCrash, Instant.now());
        features.keySet().forEach(name -> assertFalse(db.hasScoreRow(run + "crashed-" + name)));

        consumer.consume(poll(crashed));

        Map<String, String> publishedAt = new LinkedHashMap<>();
        try (TopicRecords scores = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.SCORES)) {
            for (String name : features.keySet()) {
                String id = run + "crashed-" + name;
                publishedAt.put(id, db.scorePublishedAt(id).orElseThrow(() -> new AssertionError(id + " not recorded")));
                JsonNode redelivered = single(scores, id);
                JsonNode asUsual = single(scores, run + "usual-" + name);
                for (String field : List.of("featureVersion", "cluster", "scores", "modelVersions")) {
                    assertEquals(orNull(asUsual.get(field)), orNull(redelivered.get(field)),
                            field + " of " + name);
                }
            }
        }
        // a second redelivery (e.g. the commit was lost too) publishes nothing more
        consumer.consume(poll(crashed));
        publishedAt.forEach((id, at) -> assertEquals(Optional.of(at), db.scorePublishedAt(id), id + " republished"));
    }

    private JsonNode single(TopicRecords scores, String id) throws Exception {
        List<ConsumerRecord<String, String>> records = await().atMost(PATIENCE).until(() -> scores.pollKey(id),
                r -> !r.isEmpty());
        assertEquals(1, records.size(), id + " published once");
        return json.readTree(records.get(0).value());
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : node;
    }

    private String vector(String id, Instant computedAt, Map<String, Double> features) {
        try {
            return json.writeValueAsString(new FeatureVector(FeatureVector.SCHEMA_VERSION, id, 1, computedAt,
                    features));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConsumerRecord<String, byte[]> record(String key, String value) {
        return new ConsumerRecord<>(Topics.FEATURES, 0, OFFSETS.getAndIncrement(), key,
                value.getBytes(StandardCharsets.UTF_8));
    }

    private static ConsumerRecords<String, byte[]> poll(List<ConsumerRecord<String, byte[]>> records) {
        return new ConsumerRecords<>(Map.of(new TopicPartition(Topics.FEATURES, 0), records), Map.of());
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
