package io.cohort.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every object of every overlay is valid for its kind (see {@link ModelValidator} for how). */
class ManifestValidationTest {

    static List<String> overlays() {
        return Repo.OVERLAYS;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyRenderedObjectIsValidForItsKind(String overlay) {
        List<ObjectNode> objects = Repo.overlay(overlay);
        List<String> problems = new ArrayList<>();
        for (ObjectNode o : objects) {
            ModelValidator.validate(o).forEach(p -> problems.add(Repo.id(o) + ": " + p));
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void overlayHoldsEveryKindTheIssueAsksFor(String overlay) {
        Set<String> kinds = Repo.overlay(overlay).stream().map(o -> o.path("kind").asText())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>(Set.of("Deployment", "Service", "ConfigMap", "ServiceAccount",
                "PodDisruptionBudget", "NetworkPolicy", "ServiceMonitor", "PrometheusRule", "CronJob", "Kafka",
                "KafkaNodePool", "KafkaTopic", "Cluster", "Database"));
        if (overlay.equals("prod")) {
            expected.addAll(Set.of("HorizontalPodAutoscaler", "ScaledObject", "ScheduledBackup"));
        }
        assertEquals(expected, kinds);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyNamespacedObjectIsInTheOverlaysNamespace(String overlay) {
        String ns = overlay.equals("dev") ? "cohort-dev" : "cohort";
        for (ObjectNode o : Repo.overlay(overlay)) {
            assertEquals(ns, o.path("metadata").path("namespace").asText(), Repo.id(o));
            assertEquals(overlay, o.path("metadata").path("labels").path("cohort.io/environment").asText(), Repo.id(o));
        }
    }

    @Test
    void noSecretIsCommitted() {
        for (String overlay : Repo.OVERLAYS) {
            assertTrue(Repo.ofKind(Repo.overlay(overlay), "Secret").isEmpty(), overlay);
        }
    }

    // the validators catch what they claim to catch

    @Test
    void unknownFieldInADeploymentContainerIsRejected() {
        ObjectNode d = Repo.get(Repo.overlay("dev"), "Deployment", "ingest-service").deepCopy();
        ((ObjectNode) Kustomize.containers(d).get(0)).put("livenessprobe", "typo");
        assertProblem(d, "livenessprobe");
    }

    @Test
    void missingRequiredFieldIsRejected() {
        ObjectNode d = Repo.get(Repo.overlay("dev"), "Deployment", "ingest-service").deepCopy();
        ((ObjectNode) d.get("spec")).remove("selector");
        assertProblem(d, "selector");
    }

    @Test
    void unknownFieldInAKafkaTopicIsRejected() {
        ObjectNode t = Repo.get(Repo.overlay("dev"), "KafkaTopic", "cohort.events.v1").deepCopy();
        ((ObjectNode) t.get("spec")).put("partiton", 3);
        assertProblem(t, "partiton");
    }

    @Test
    void unknownStrimziListenerTypeIsRejected() {
        ObjectNode k = Repo.get(Repo.overlay("dev"), "Kafka", "cohort").deepCopy();
        ((ObjectNode) k.at("/spec/kafka/listeners/0")).put("type", "intern");
        assertFalse(ModelValidator.validate(k).isEmpty());
    }

    @Test
    void unknownFieldInAServiceMonitorEndpointIsRejected() {
        ObjectNode m = Repo.get(Repo.overlay("dev"), "ServiceMonitor", "model-service").deepCopy();
        ((ObjectNode) m.at("/spec/endpoints/0")).put("intervall", "10s");
        assertProblem(m, "intervall");
    }

    @Test
    void scaledObjectWithANumericLagThresholdIsRejected() {
        ObjectNode s = Repo.get(Repo.overlay("prod"), "ScaledObject", "feature-service").deepCopy();
        ((ObjectNode) s.at("/spec/triggers/0/metadata")).put("lagThreshold", 1000);
        assertFalse(ModelValidator.validate(s).isEmpty());
    }

    @Test
    void cnpgParametersMustBeStrings() {
        ObjectNode c = Repo.get(Repo.overlay("prod"), "Cluster", "cohort-pg").deepCopy();
        ((ObjectNode) c.at("/spec/postgresql/parameters")).put("max_connections", 400);
        assertFalse(ModelValidator.validate(c).isEmpty());
    }

    @Test
    void kindWithoutModelIsRejected() {
        ObjectNode o = Kustomize.YAML.createObjectNode();
        o.put("apiVersion", "example.com/v1").put("kind", "Widget").putObject("metadata").put("name", "w");
        assertProblem(o, "no model or schema");
    }

    @Test
    void invalidLabelIsRejected() {
        ObjectNode d = Repo.get(Repo.overlay("dev"), "ConfigMap", "ingest-service-config").deepCopy();
        ((ObjectNode) d.at("/metadata/labels")).put("team", "not a label value");
        assertProblem(d, "invalid label");
    }

    private static void assertProblem(JsonNode o, String fragment) {
        List<String> problems = ModelValidator.validate(o);
        assertTrue(problems.stream().anyMatch(p -> p.contains(fragment)), () -> "expected '" + fragment + "' in " + problems);
    }
}
