package io.cohort.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17, items 8 and 9, in the rendered overlays: the namespace denies by default and every pod
 * (services, the training job, Kafka, PostgreSQL) has a policy of its own that names who may
 * reach it; prod PostgreSQL archives WAL and takes nightly base backups to an object store, with
 * credentials from a Secret, and acknowledges commits only once a replica has them.
 */
class ClusterHardeningTest {

    static final String DEFAULT_DENY = "default-deny";

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theNamespaceDeniesEverythingNotAllowedByName(String overlay) {
        ObjectNode deny = Repo.get(Repo.overlay(overlay), "NetworkPolicy", DEFAULT_DENY);
        assertTrue(deny.at("/spec/podSelector").isEmpty(), "selects every pod of the namespace");
        assertEquals(Set.of("Ingress", "Egress"), strings(deny.at("/spec/policyTypes")));
        assertTrue(deny.at("/spec/ingress").isMissingNode() && deny.at("/spec/egress").isMissingNode(),
                "allows nothing: " + deny);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyWorkloadAndTheInfrastructureHaveAPolicyOfTheirOwn(String overlay) {
        List<ObjectNode> objects = Repo.overlay(overlay);
        List<ObjectNode> policies = Repo.ofKind(objects, "NetworkPolicy").stream()
                .filter(p -> !DEFAULT_DENY.equals(p.at("/metadata/name").asText())).toList();
        List<Map<String, String>> pods = new ArrayList<>();
        for (ObjectNode deployment : Repo.ofKind(objects, "Deployment")) {
            pods.add(labels(deployment.at("/spec/template/metadata/labels")));
        }
        for (ObjectNode job : Repo.ofKind(objects, "CronJob")) {
            pods.add(labels(job.at("/spec/jobTemplate/spec/template/metadata/labels")));
        }
        // the labels the operators put on the Kafka and PostgreSQL pods
        pods.add(Map.of("strimzi.io/cluster", "cohort", "strimzi.io/kind", "Kafka"));
        pods.add(Map.of("cnpg.io/cluster", "cohort-pg", "cnpg.io/instanceRole", "primary"));
        for (Map<String, String> pod : pods) {
            List<ObjectNode> selecting = policies.stream().filter(p -> selects(p.at("/spec/podSelector"), pod)).toList();
            assertFalse(selecting.isEmpty(), "no policy of its own for pods " + pod);
            for (ObjectNode policy : selecting) {
                assertEquals(Set.of("Ingress", "Egress"), strings(policy.at("/spec/policyTypes")), Repo.id(policy));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void onlyTheTrackingPortIsOpenToEveryone(String overlay) {
        List<String> open = new ArrayList<>();
        for (ObjectNode policy : Repo.ofKind(Repo.overlay(overlay), "NetworkPolicy")) {
            for (JsonNode rule : policy.at("/spec/ingress")) {
                if (rule.path("from").isEmpty()) {
                    rule.path("ports").forEach(p -> open.add(policy.at("/metadata/name").asText() + ":" + p.path("port").asInt()));
                    assertFalse(rule.path("ports").isEmpty(), Repo.id(policy) + " admits any source on any port");
                }
            }
        }
        // the tracking API and provider webhooks: browsers, ESPs and CRMs through the ingress controller
        assertEquals(List.of("ingest-service:8081"), open);
    }

    @Test
    void postgresReachableOnlyByTheServicesTheOperatorAndItself() {
        ObjectNode pg = Repo.get(Repo.overlay("prod"), "NetworkPolicy", "cohort-pg");
        Set<String> podSources = new TreeSet<>();
        for (JsonNode rule : pg.at("/spec/ingress")) {
            boolean sql = false;
            for (JsonNode port : rule.path("ports")) {
                sql |= port.path("port").asInt() == 5432;
            }
            for (JsonNode from : rule.path("from")) {
                if (sql && from.has("podSelector") && !from.has("namespaceSelector")) {
                    from.at("/podSelector/matchExpressions").forEach(e -> podSources.addAll(strings(e.path("values"))));
                    from.at("/podSelector/matchLabels").properties().forEach(e -> podSources.add(e.getValue().asText()));
                }
            }
        }
        assertEquals(new TreeSet<>(Set.of("cohort-pg", "ingest-service", "feature-service", "model-service",
                "segment-service", "model-training")), podSources);
    }

    @Test
    void prodPostgresArchivesWalBacksUpNightlyAndReplicatesSynchronously() {
        List<ObjectNode> objects = Repo.overlay("prod");
        JsonNode spec = Repo.get(objects, "Cluster", "cohort-pg").path("spec");
        JsonNode store = spec.at("/backup/barmanObjectStore");
        assertTrue(store.path("destinationPath").asText().startsWith("s3://"), "an object store: " + store);
        for (String credential : List.of("accessKeyId", "secretAccessKey")) {
            JsonNode ref = store.at("/s3Credentials/" + credential);
            assertTrue(ref.has("name") && ref.has("key") && ref.size() == 2, "from a Secret, never literal: " + ref);
        }
        assertTrue(spec.at("/backup/retentionPolicy").asText().matches("[1-9][0-9]*[dwm]"));
        int sync = spec.path("minSyncReplicas").asInt();
        assertTrue(sync >= 1 && sync < spec.path("instances").asInt(), "a commit waits for a replica");

        List<ObjectNode> schedules = Repo.ofKind(objects, "ScheduledBackup");
        assertEquals(1, schedules.size());
        JsonNode schedule = schedules.get(0).path("spec");
        assertEquals("cohort-pg", schedule.at("/cluster/name").asText());
        assertEquals("barmanObjectStore", schedule.path("method").asText());
        assertEquals(6, schedule.path("schedule").asText().split(" ").length, "CloudNativePG's six-field schedule");

        assertTrue(Repo.get(Repo.overlay("dev"), "Cluster", "cohort-pg").at("/spec/backup").isMissingNode(),
                "dev keeps no backups");
    }

    private static boolean selects(JsonNode selector, Map<String, String> pod) {
        if (selector.isEmpty()) {
            return true;
        }
        for (var e : selector.path("matchLabels").properties()) {
            if (!e.getValue().asText().equals(pod.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String value = pod.get(expression.path("key").asText());
            boolean in = strings(expression.path("values")).contains(value);
            if (!"In".equals(expression.path("operator").asText()) || !in) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new java.util.HashMap<>();
        node.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
