package io.cohort.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kafka Streams' internal topics (k8s/infra/streams-topics.yaml) belong to a service that runs Kafka
 * Streams, carry its application id, and are co-partitioned with its primary input: a changelog or
 * repartition topic with another partition count makes Kafka Streams refuse to start.
 */
class StreamsTopicsTest {

    static final String LABEL = "cohort.io/streams-internal-of";

    /** The service a KafkaTopic is a Kafka Streams internal topic of, or null for the contracts' topics. */
    static String internalOf(JsonNode topic) {
        JsonNode label = topic.at("/metadata/labels").path(LABEL);
        return label.isMissingNode() ? null : label.asText();
    }

    @ParameterizedTest
    @MethodSource("io.cohort.k8s.ServiceConsistencyTest#overlays")
    void internalTopicsAreNamedSizedAndKeptAsKafkaStreamsExpects(String overlay) {
        List<ObjectNode> objects = Repo.overlay(overlay);
        List<ObjectNode> internal = Repo.ofKind(objects, "KafkaTopic").stream().filter(t -> internalOf(t) != null)
                .toList();
        assertFalse(internal.isEmpty(), "no Kafka Streams internal topic is declared");
        for (ObjectNode topic : internal) {
            String service = internalOf(topic);
            String name = topic.at("/spec/topicName").asText();
            assertTrue(Repo.SERVICES.contains(service), name + " names an unknown service " + service);
            Properties config = Repo.config(service);
            String applicationId = config.getProperty("quarkus.kafka-streams.application-id");
            assertTrue(applicationId != null && name.startsWith(applicationId + "-"),
                    name + " does not carry " + service + "'s Kafka Streams application id " + applicationId);
            boolean changelog = name.endsWith("-changelog");
            assertTrue(changelog || name.endsWith("-repartition"), name + " is neither a changelog nor a repartition topic");
            if (changelog) {
                assertEquals("compact", topic.at("/spec/config/cleanup.policy").asText(), name);
            }
            // the first of quarkus.kafka-streams.topics is the service's primary, subscriber-keyed input
            String primary = config.getProperty("quarkus.kafka-streams.topics").split(",")[0].trim();
            ObjectNode input = Repo.ofKind(objects, "KafkaTopic").stream()
                    .filter(t -> primary.equals(t.at("/spec/topicName").asText())).findFirst()
                    .orElseThrow(() -> new AssertionError(primary + " has no KafkaTopic"));
            assertEquals(input.at("/spec/partitions").asInt(), topic.at("/spec/partitions").asInt(),
                    name + " is not co-partitioned with " + primary);
        }
    }

    @ParameterizedTest
    @MethodSource("io.cohort.k8s.ServiceConsistencyTest#overlays")
    void aServiceToldItsRepartitionCountIsToldThePrimaryInputsCount(String overlay) {
        List<ObjectNode> objects = Repo.overlay(overlay);
        int checked = 0;
        for (String service : Repo.SERVICES) {
            Properties config = Repo.config(service);
            String topics = config.getProperty("quarkus.kafka-streams.topics");
            if (topics == null) {
                continue;
            }
            String primary = topics.split(",")[0].trim();
            int inputPartitions = Repo.ofKind(objects, "KafkaTopic").stream()
                    .filter(t -> primary.equals(t.at("/spec/topicName").asText())).findFirst()
                    .orElseThrow().at("/spec/partitions").asInt();
            JsonNode data = Repo.get(objects, "ConfigMap", service + "-config").path("data");
            for (String key : config.stringPropertyNames()) {
                if (key.endsWith(".streams.partitions")) {
                    String variable = ServiceConsistencyTest.envName(key);
                    assertTrue(data.has(variable), service + ": " + variable + " must be set to " + inputPartitions
                            + " (the default " + config.getProperty(key) + " fits the local devstack only)");
                    assertEquals(inputPartitions, data.path(variable).asInt(), service + " " + variable);
                    checked++;
                }
            }
        }
        assertTrue(checked > 0, "no service declares its repartition count");
    }
}
