package io.cohort.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17, item 8: PostgreSQL must never refuse a service a connection because the others took
 * them all. Every pod a service may run (the autoscaler's maximum, else the Deployment's replicas)
 * holds up to its pool size, the training CronJob holds its own pool; together they must fit in
 * {@code max_connections} minus the superuser slots and a headroom for the operator's instance
 * manager, monitoring and a person with psql (docs/OPERATIONS.md, "Connection budget").
 */
class ConnectionBudgetTest {

    /** Connections left for the CloudNativePG instance manager, the exporter and interactive sessions. */
    static final int HEADROOM = 20;
    /** PostgreSQL's default superuser_reserved_connections. */
    static final int SUPERUSER_RESERVED = 3;
    /** Agroal's pool size when none is configured. */
    static final int AGROAL_DEFAULT = 20;
    static final String POOL_SIZE_ENV = "QUARKUS_DATASOURCE_JDBC_MAX_SIZE";

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyPodAtItsMaximumAndTheTrainingJobFitInMaxConnections(String overlay) {
        List<ObjectNode> objects = Repo.overlay(overlay);
        JsonNode parameters = Repo.get(objects, "Cluster", "cohort-pg").at("/spec/postgresql/parameters");
        int available = parameters.path("max_connections").asInt()
                - parameters.path("superuser_reserved_connections").asInt(SUPERUSER_RESERVED) - HEADROOM;

        Map<String, Integer> demand = new TreeMap<>();
        for (String service : Repo.SERVICES) {
            ObjectNode deployment = Repo.get(objects, "Deployment", service);
            demand.put(service, maxPods(objects, deployment) * poolSize(objects, service, podSpec(deployment, false)));
        }
        for (ObjectNode job : Repo.ofKind(objects, "CronJob")) {
            // one run at a time, so one pool
            assertEquals("Forbid", job.at("/spec/concurrencyPolicy").asText(), Repo.id(job) + " may overlap itself");
            JsonNode spec = podSpec(job, true);
            demand.put("CronJob " + job.at("/metadata/name").asText(), poolSize(objects, serviceOf(spec), spec));
        }
        int total = demand.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(total <= available, overlay + ": " + demand + " need " + total + " connections, but max_connections "
                + parameters.path("max_connections").asInt() + " leaves " + available);
    }

    /** The most pods the Deployment can have: its HPA's or ScaledObject's maximum, else its replicas. */
    private static int maxPods(List<ObjectNode> objects, ObjectNode deployment) {
        String name = deployment.at("/metadata/name").asText();
        Optional<Integer> hpa = Repo.ofKind(objects, "HorizontalPodAutoscaler").stream()
                .filter(h -> name.equals(h.at("/spec/scaleTargetRef/name").asText()))
                .map(h -> h.at("/spec/maxReplicas").asInt()).findFirst();
        Optional<Integer> keda = Repo.ofKind(objects, "ScaledObject").stream()
                .filter(s -> name.equals(s.at("/spec/scaleTargetRef/name").asText()))
                .map(s -> s.at("/spec/maxReplicaCount").asInt()).findFirst();
        return hpa.or(() -> keda).orElse(deployment.at("/spec/replicas").asInt(1));
    }

    /** The service whose image the pod runs (docker.io/cohort/model-service:0.1.0 → model-service). */
    private static String serviceOf(JsonNode podSpec) {
        String image = podSpec.path("containers").path(0).path("image").asText();
        String name = image.substring(image.lastIndexOf('/') + 1);
        return name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
    }

    private static JsonNode podSpec(ObjectNode workload, boolean cronJob) {
        return cronJob ? workload.at("/spec/jobTemplate/spec/template/spec") : workload.at("/spec/template/spec");
    }

    /** The pool size of the workload's first container: its env, its ConfigMaps, else the service's default. */
    private static int poolSize(List<ObjectNode> objects, String service, JsonNode podSpec) {
        JsonNode container = podSpec.path("containers").path(0);
        for (JsonNode env : container.path("env")) {
            if (POOL_SIZE_ENV.equals(env.path("name").asText()) && env.has("value")) {
                return Integer.parseInt(env.path("value").asText());
            }
        }
        for (JsonNode from : container.path("envFrom")) {
            String configMap = from.at("/configMapRef/name").asText("");
            Optional<ObjectNode> data = Repo.find(objects, "ConfigMap", configMap);
            if (data.isPresent() && data.get().at("/data/" + POOL_SIZE_ENV).isTextual()) {
                return Integer.parseInt(data.get().at("/data/" + POOL_SIZE_ENV).asText());
            }
        }
        String configured = Repo.config(service).getProperty("quarkus.datasource.jdbc.max-size");
        return configured == null ? AGROAL_DEFAULT : Integer.parseInt(configured.trim());
    }
}
