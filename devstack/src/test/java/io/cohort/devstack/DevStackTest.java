package io.cohort.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.Topics;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class DevStackTest {

    private final DevStack stack = DevStack.shared();

    @Test
    void postgresAcceptsConnectionsToTheCohortDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
                ResultSet rs = c.createStatement().executeQuery("select current_database(), version()")) {
            assertTrue(rs.next());
            assertEquals("cohort", rs.getString(1));
            assertTrue(rs.getString(2).startsWith("PostgreSQL 14"), rs.getString(2));
        }
    }

    @Test
    void kafkaHasEveryContractTopicWithItsCleanupPolicy() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        try (Admin admin = Admin.create(props)) {
            var names = admin.listTopics().names().get();
            for (var spec : Topics.ALL) {
                assertTrue(names.contains(spec.name()), spec.name());
                var resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
                var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
                assertEquals(spec.cleanupPolicy(), config.get("cleanup.policy").value(), spec.name());
            }
            var description = admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames().get().get(Topics.EVENTS);
            assertEquals(DevStack.PARTITIONS, description.partitions().size());
        }
    }

    @Test
    void aRecordProducedIsConsumedBackWithItsKey() throws Exception {
        Map<String, Object> producerProps = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (var producer = new KafkaProducer<String, String>(producerProps)) {
            producer.send(new ProducerRecord<>(Topics.EVENTS_DLQ, "k-1", "hello")).get();
        }
        Map<String, Object> consumerProps = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "devstack-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (var consumer = new KafkaConsumer<String, String>(consumerProps)) {
            consumer.subscribe(List.of(Topics.EVENTS_DLQ));
            ConsumerRecord<String, String> found = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found == null && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if ("k-1".equals(record.key())) {
                        found = record;
                    }
                }
            }
            assertTrue(found != null, "record came back within 30 s");
            assertEquals("hello", found.value());
        }
    }
}
