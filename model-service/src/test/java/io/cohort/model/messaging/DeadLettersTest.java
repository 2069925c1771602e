package io.cohort.model.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.DeadLetterHeaders;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.model.FeatureFeed;
import io.cohort.model.FeatureFeed.Behaviour;
import io.cohort.model.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 1, consumer end: records model-service can never apply go to
 * cohort.model-service.dlq.v1 as they were, with where they came from and why, and the records
 * behind them on the same partition are still stored, scored and published.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class DeadLettersTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    TestDatabase db;
    @Inject
    ObjectMapper json;

    @Test
    void poisonVectorsAreDeadLetteredAndTheVectorsBehindThemAreScored() throws Exception {
        FeatureFeed feed = new FeatureFeed(json);
        String run = "dlq-" + UUID.randomUUID() + "-";
        feed.ensureActiveClustering(run + "seed-", db);
        String good = run + "good";
        // each poison is keyed to the good vector's partition, so it is consumed before it
        Map<String, String> poison = new LinkedHashMap<>();
        poison.put(FeatureFeed.samePartitionKey(good, run + "unreadable-"), "{not json");
        poison.put(FeatureFeed.samePartitionKey(good, run + "wrong-type-"), "{\"schemaVersion\":1,\"version\":\"many\"}");
        // PostgreSQL stores no NUL in text: "invalid byte sequence for encoding UTF8: 0x00", for ever
        String nul = FeatureFeed.samePartitionKey(good, run + "nul-\u0000-");
        poison.put(nul, feed.json(nul, 1, FeatureFeed.behaviour(Behaviour.BUYER, 0)));
        String nulFeature = FeatureFeed.samePartitionKey(good, run + "nul-feature-");
        poison.put(nulFeature, feed.json(nulFeature, 1, Map.of("orders\u0000_90d", 1.0)));
        String infinite = FeatureFeed.samePartitionKey(good, run + "infinite-");
        poison.put(infinite, feed.json(infinite, 1, Map.of("revenue_90d", 1.0)).replace(":1.0}", ":1e400}"));
        poison.forEach(feed::sendRaw);
        feed.send(good, 1, FeatureFeed.behaviour(Behaviour.BUYER, 1));

        await().atMost(PATIENCE).until(() -> db.snapshotVersion(good).isPresent());
        try (TopicRecords scores = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.SCORES);
                TopicRecords dead = new TopicRecords(DevStack.shared().kafkaBootstrapServers(),
                        Topics.MODEL_SERVICE_DLQ)) {
            await().atMost(PATIENCE).until(() -> !scores.pollKey(good).isEmpty());
            List<ConsumerRecord<String, String>> letters = await().atMost(PATIENCE).until(
                    () -> dead.poll().stream().filter(r -> r.key() != null && r.key().startsWith(run)).toList(),
                    r -> r.size() == poison.size());
            for (ConsumerRecord<String, String> letter : letters) {
                assertEquals(poison.get(letter.key()), letter.value(), "original bytes of " + letter.key());
                assertEquals(Topics.FEATURES, header(letter, DeadLetterHeaders.TOPIC));
                assertEquals("model-service", header(letter, DeadLetterHeaders.SERVICE));
                assertTrue(Long.parseLong(header(letter, DeadLetterHeaders.OFFSET)) >= 0);
                Integer.parseInt(header(letter, DeadLetterHeaders.PARTITION));
                assertTrue(!header(letter, DeadLetterHeaders.ERROR).isBlank());
            }
            assertTrue(header(letters.stream().filter(l -> l.key().equals(nul)).findFirst().orElseThrow(),
                    DeadLetterHeaders.ERROR).contains("PSQLException"), "the database's refusal is named");
        }
        // (an id with a NUL cannot even be looked up)
        for (String key : List.of(nulFeature, infinite)) {
            assertTrue(db.snapshotVersion(key).isEmpty(), key);
        }
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("cohort_dead_letters_total")
                && line.contains("channel=\"features-in\"")), "dead letters are counted per channel");
    }

    @Test
    void anUnreadableErasureRequestIsDeadLetteredToo() {
        String key = "dlq-erasure-" + UUID.randomUUID();
        TopicRecords.send(DevStack.shared().kafkaBootstrapServers(), Topics.ERASURE, key, "{\"subscriberId\":");
        try (TopicRecords dead = new TopicRecords(DevStack.shared().kafkaBootstrapServers(),
                Topics.MODEL_SERVICE_DLQ)) {
            ConsumerRecord<String, String> letter = await().atMost(PATIENCE)
                    .until(() -> dead.pollKey(key), r -> !r.isEmpty()).get(0);
            assertEquals(Topics.ERASURE, header(letter, DeadLetterHeaders.TOPIC));
            assertEquals("{\"subscriberId\":", letter.value());
        }
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("channel=\"erasure-in\""), metrics.lines().filter(l -> l.contains("dead"))
                .toList().toString());
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
