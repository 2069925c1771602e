package io.cohort.segment.api;

import static io.cohort.segment.api.SegmentFixtures.T0;
import static io.cohort.segment.api.SegmentFixtures.bootstrap;
import static io.cohort.segment.api.SegmentFixtures.featuresJson;
import static io.cohort.segment.api.SegmentFixtures.uniqueNumber;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.DeadLetterHeaders;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.segment.persistence.Jdbc;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records a consumer can never use go to {@code cohort.segment-service.dlq.v1} with their key,
 * value bytes and where they came from, are counted, and the partition goes on with the next
 * record; a transient database failure is retried instead. Poison records are produced straight
 * onto one partition, followed by a good record on the same partition.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class DeadLettersTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int PARTITION = 0;

    private static KafkaProducer<String, byte[]> producer;
    private static KafkaConsumer<String, byte[]> deadLetters;
    private static final List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();

    @Inject
    Jdbc jdbc;
    @Inject
    MeterRegistry registry;
    @Inject
    DataSource dataSource;

    @BeforeAll
    static void connect() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        deadLetters = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-dlq-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        deadLetters.subscribe(List.of(Topics.SEGMENT_SERVICE_DLQ));
    }

    @AfterAll
    static void close() {
        producer.close();
        deadLetters.close();
    }

    @Test
    void unusableFeatureVectorsAreDeadLetteredAndThePartitionGoesOn() throws Exception {
        int marker = uniqueNumber();
        String subscriber = "dlq-f-" + marker;
        String nulId = "dlq-nul\u0000" + marker;
        double before = deadLettered("features-in");
        List<Poison> poison = List.of(
                produce(Topics.FEATURES, subscriber, utf8("{\"schemaVersion\":1,\"subscriberId\":")),
                produce(Topics.FEATURES, subscriber, new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'}),
                produce(Topics.FEATURES, subscriber, utf8(featuresJson("someone-else-" + marker, 1,
                        Map.of("orders_90d", 1.0)))),
                produce(Topics.FEATURES, " ", utf8(featuresJson(subscriber, 1, Map.of("orders_90d", 1.0)))),
                // PostgreSQL cannot store a NUL: a permanent failure of the view's transaction
                produce(Topics.FEATURES, nulId, utf8(featuresJson("dlq-nul\\u0000" + marker, 1,
                        Map.of("orders_90d", 1.0)))));
        produce(Topics.FEATURES, subscriber, utf8(featuresJson(subscriber, 1, Map.of("orders_90d", (double) marker))));

        await().atMost(WAIT).until(() -> viewExists(subscriber));
        assertDeadLettered(poison, Topics.FEATURES);
        assertEquals(before + poison.size(), deadLettered("features-in"));
    }

    @Test
    void everyChannelHasItsDeadLetterSeriesFromTheStart() {
        for (String channel : List.of("features-in", "scores-in", "events-in", "erasure-in")) {
            assertNotNull(registry.find("cohort.dead.letters").tag("channel", channel).counter(), channel);
        }
    }

    @Test
    void anUnreadableErasureRequestIsDeadLetteredAndTheNextOneApplied() throws Exception {
        String subscriber = "dlq-r-" + uniqueNumber();
        double before = deadLettered("erasure-in");
        List<Poison> poison = List.of(produce(Topics.ERASURE, subscriber, utf8("{\"subscriberId\":")));
        produce(Topics.ERASURE, subscriber, utf8("{\"schemaVersion\":1,\"subscriberId\":\"" + subscriber
                + "\",\"requestedAt\":\"" + T0 + "\"}"));

        await().atMost(WAIT).until(() -> !jdbc.query("select 1 from erased_subscriber where id_hash = ?",
                s -> s.setString(1, io.cohort.contracts.ErasedIds.hash(subscriber)), row -> 1).isEmpty());
        assertDeadLettered(poison, Topics.ERASURE);
        assertEquals(before + 1, deadLettered("erasure-in"));
    }

    @Test
    void unusableScoresAreDeadLetteredAndThePartitionGoesOn() throws Exception {
        String subscriber = "dlq-s-" + uniqueNumber();
        double before = deadLettered("scores-in");
        List<Poison> poison = List.of(
                produce(Topics.SCORES, subscriber, utf8("[1,2,3]")),
                produce(Topics.SCORES, subscriber, utf8("{\"schemaVersion\":1,\"subscriberId\":\"x-" + subscriber
                        + "\",\"featureVersion\":1,\"scoredAt\":\"" + T0 + "\"}")),
                produce(Topics.SCORES, subscriber, utf8("null")));
        produce(Topics.SCORES, subscriber, utf8("{\"schemaVersion\":1,\"subscriberId\":\"" + subscriber
                + "\",\"featureVersion\":1,\"scoredAt\":\"" + T0 + "\",\"scores\":{\"p_click_7d\":0.4}}"));

        await().atMost(WAIT).until(() -> viewExists(subscriber));
        assertDeadLettered(poison, Topics.SCORES);
        assertEquals(before + poison.size(), deadLettered("scores-in"));
    }

    @Test
    void unusableEmailSentEventsAreDeadLetteredOtherEventsAreNotTheirBusiness() throws Exception {
        int marker = uniqueNumber();
        String subscriber = "dlq-e-" + marker;
        double before = deadLettered("events-in");
        List<Poison> poison = List.of(
                produce(Topics.EVENTS, subscriber, utf8("{\"type\":\"track\",\"event\":\"Email Sent\",\"userId\":")),
                produce(Topics.EVENTS, subscriber, utf8(emailSent("m-nul-" + marker, "dlq-e-\\u0000" + marker))));
        // not an Email Sent: feature-service's to judge, passed over here unparsed
        produce(Topics.EVENTS, subscriber, utf8("{\"type\":\"track\",\"event\":\"Email Opened\",\"userId\":"));
        String good = "m-good-" + marker;
        produce(Topics.EVENTS, subscriber, utf8(emailSent(good, subscriber)));

        await().atMost(WAIT).until(() -> jdbc.query("select message_id from subscriber_send where subscriber_id = ?",
                s -> s.setString(1, subscriber), row -> row.getString(1)), ids -> ids.equals(List.of(good)));
        assertDeadLettered(poison, Topics.EVENTS);
        assertEquals(before + poison.size(), deadLettered("events-in"));
    }

    @Test
    void aTransientDatabaseFailureIsRetriedNotDeadLettered() throws Exception {
        int marker = uniqueNumber();
        String subscriber = "dlq-t-" + marker;
        produce(Topics.FEATURES, subscriber, utf8(featuresJson(subscriber, 1, Map.of("orders_90d", 1.0))));
        await().atMost(WAIT).until(() -> viewExists(subscriber));
        double before = deadLettered("features-in");

        try (Connection blocker = SegmentFixtures.lockView(dataSource, subscriber)) {
            Poison next = produce(Topics.FEATURES, subscriber,
                    utf8(featuresJson(subscriber, 2, Map.of("orders_90d", (double) marker))));
            // the consumer waits for the row; its connection is then killed (SQLSTATE 57P01), as in a failover
            await().atMost(WAIT).until(() -> terminateWaitingForView() > 0);
            blocker.commit();
            await().atMost(WAIT).until(() -> ordersOf(subscriber), v -> v != null && v == marker);
            assertEquals(before, deadLettered("features-in"));
            assertTrue(poll().stream().noneMatch(r -> Long.toString(next.offset()).equals(header(r,
                    DeadLetterHeaders.OFFSET)) && Topics.FEATURES.equals(header(r, DeadLetterHeaders.TOPIC))));
        }
    }

    private int terminateWaitingForView() {
        return jdbc.query("select pg_terminate_backend(pid) from pg_stat_activity where wait_event_type = 'Lock' "
                + "and query like '%from subscriber_view where subscriber_id = $1 for update%' "
                + "and pid <> pg_backend_pid()", s -> { }, row -> row.getBoolean(1)).size();
    }

    private Double ordersOf(String subscriber) {
        List<String> features = jdbc.query("select features::text from subscriber_view where subscriber_id = ?",
                s -> s.setString(1, subscriber), row -> row.getString(1));
        if (features.isEmpty() || features.get(0) == null) {
            return null;
        }
        String text = features.get(0).replaceAll(".*\"orders_90d\": *([0-9.]+).*", "$1");
        return text.equals(features.get(0)) ? null : Double.valueOf(text);
    }

    private void assertDeadLettered(List<Poison> poison, String topic) {
        List<ConsumerRecord<String, byte[]>> letters = await().atMost(WAIT).until(() -> poll().stream()
                .filter(r -> topic.equals(header(r, DeadLetterHeaders.TOPIC)))
                .filter(r -> poison.stream().anyMatch(p -> Long.toString(p.offset()).equals(header(r,
                        DeadLetterHeaders.OFFSET)))).toList(), found -> found.size() >= poison.size());
        assertEquals(poison.size(), letters.size(), "one dead letter per poison record");
        for (Poison p : poison) {
            ConsumerRecord<String, byte[]> letter = letters.stream()
                    .filter(r -> Long.toString(p.offset()).equals(header(r, DeadLetterHeaders.OFFSET)))
                    .findFirst().orElseThrow();
            assertEquals(p.key(), letter.key(), "original key");
            assertArrayEquals(p.value(), letter.value(), "original value bytes");
            assertEquals(Integer.toString(PARTITION), header(letter, DeadLetterHeaders.PARTITION));
            assertEquals("segment-service", header(letter, DeadLetterHeaders.SERVICE));
            assertNotNull(header(letter, DeadLetterHeaders.FAILED_AT));
            assertTrue(!header(letter, DeadLetterHeaders.ERROR).isBlank());
        }
    }

    private double deadLettered(String channel) {
        var counter = registry.find("cohort.dead.letters").tag("channel", channel).counter();
        return counter == null ? 0 : counter.count();
    }

    private boolean viewExists(String subscriber) {
        return !jdbc.query("select 1 from subscriber_view where subscriber_id = ?", s -> s.setString(1, subscriber),
                row -> 1).isEmpty();
    }

    private static synchronized List<ConsumerRecord<String, byte[]>> poll() {
        deadLetters.poll(Duration.ofMillis(200)).forEach(dead::add);
        return List.copyOf(dead);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private record Poison(String key, byte[] value, long offset) {
    }

    private static Poison produce(String topic, String key, byte[] value) throws Exception {
        long offset = producer.send(new ProducerRecord<>(topic, PARTITION, key, value)).get().offset();
        return new Poison(key, value, offset);
    }

    static String emailSent(String messageId, String userIdJson) {
        return "{\"schemaVersion\":1,\"messageId\":\"" + messageId + "\",\"type\":\"track\",\"userId\":\""
                + userIdJson + "\",\"event\":\"Email Sent\",\"timestamp\":\"" + T0 + "\",\"receivedAt\":\"" + T0
                + "\"}";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
