package io.cohort.feature.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * k8s/infra/streams-topics.yaml declares exactly the internal topics the features topology makes:
 * a store added or removed without its KafkaTopic would make Kafka Streams fail where topic
 * auto-creation is off, or leave a topic nobody uses.
 */
class InternalTopicsDeclaredTest {

    private static final String OWNER_LABEL = "cohort.io/streams-internal-of: feature-service";

    @Test
    void theManifestDeclaresEveryChangelogAndRepartitionTopicAndNoOther() throws IOException {
        TopologyDescription description = FeatureTopology.build(TopologyFixture.JSON, () -> null,
                new TopologyFixture.MovableClock(Instant.parse("2026-03-10T12:00:00Z")), TopologyFixture.config(5000),
                new FeatureStreamMetrics(new SimpleMeterRegistry())).describe();
        Set<String> made = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor processor) {
                    // every store is persistent and logged: one compacted changelog each
                    processor.stores().forEach(store -> made.add(FeatureTopology.APPLICATION_ID + "-" + store
                            + "-changelog"));
                }
                if (node instanceof TopologyDescription.Sink sink && sink.topic().endsWith("-repartition")) {
                    made.add(FeatureTopology.APPLICATION_ID + "-" + sink.topic());
                }
            }
        }
        assertFalse(made.isEmpty());
        assertEquals(made, declared(), "k8s/infra/streams-topics.yaml and the topology disagree");
    }

    /** topicName of every YAML document labelled as feature-service's internal topic. */
    private static Set<String> declared() throws IOException {
        String yaml = Files.readString(Path.of("..", "k8s", "infra", "streams-topics.yaml"));
        Set<String> names = new TreeSet<>();
        for (String document : yaml.split("(?m)^---$")) {
            if (!document.contains(OWNER_LABEL)) {
                continue;
            }
            document.lines().map(String::trim).filter(line -> line.startsWith("topicName:"))
                    .forEach(line -> names.add(line.substring("topicName:".length()).trim()));
        }
        return names;
    }
}
