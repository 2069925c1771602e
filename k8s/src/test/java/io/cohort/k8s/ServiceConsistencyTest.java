package io.cohort.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cohort.contracts.TopicSpec;
import io.cohort.contracts.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manifests against the code: images, ports, probe and metrics paths against each service's
 * application.properties; topics against the contracts and the services' channels; database
 * wiring against the CloudNativePG cluster; NetworkPolicies against what each service talks to;
 * autoscalers against partition counts and consumer groups; alerts against the metrics the code
 * registers.
 */
class ServiceConsistencyTest {


    static Stream<Arguments> overlayAndService() {
        return Repo.OVERLAYS.stream().flatMap(o -> Repo.SERVICES.stream().map(s -> Arguments.of(o, s)));
    }

    static List<String> overlays() {
        return Repo.OVERLAYS;
    }

    @ParameterizedTest
    @MethodSource("overlayAndService")
    void imagePortsAndProbesMatchTheServiceConfig(String overlay, String service) {
        Properties config = Repo.config(service);
        List<ObjectNode> objects = Repo.overlay(overlay);
        ObjectNode deployment = Repo.get(objects, "Deployment", service);
        JsonNode container = container(deployment, service);
        int port = Integer.parseInt(config.getProperty("quarkus.http.port"));
        String name = config.getProperty("quarkus.application.name");
        assertEquals(service, name);

        String image = container.path("image").asText();
        String group = config.getProperty("quarkus.container-image.group");
        assertTrue(image.matches("(.+/)?" + Pattern.quote(group + "/" + name) + ":[\\w.-]+"), image);
        assertEquals(port, container.at("/ports/0/containerPort").asInt());
        assertEquals("http", container.at("/ports/0/name").asText());
        String health = nonApplicationRoot(config) + "/" + config.getProperty("quarkus.smallrye-health.root-path", "health");
        assertProbe(container, "livenessProbe", health + "/live", port);
        assertProbe(container, "readinessProbe", health + "/ready", port);
        assertProbe(container, "startupProbe", health + "/started", port);

        ObjectNode svc = Repo.get(objects, "Service", service);
        assertEquals(port, svc.at("/spec/ports/0/targetPort").asInt());
        assertTrue(selects(svc.at("/spec/selector"), podLabels(deployment)), "Service selects the pods");

        ObjectNode monitor = Repo.get(objects, "ServiceMonitor", service);
        assertEquals(nonApplicationRoot(config) + "/"
                + config.getProperty("quarkus.micrometer.export.prometheus.path", "metrics"),
                monitor.at("/spec/endpoints/0/path").asText());
        assertEquals(port, monitor.at("/spec/endpoints/0/targetPort").asInt());
        assertTrue(selects(monitor.at("/spec/selector/matchLabels"), svc.at("/metadata/labels")), "ServiceMonitor selects the Service");
        assertTrue(selects(deployment.at("/spec/selector/matchLabels"), podLabels(deployment)));
    }

    @ParameterizedTest
    @MethodSource("overlayAndService")
    void podsAreHardenedSizedAndSpread(String overlay, String service) {
        List<ObjectNode> objects = Repo.overlay(overlay);
        ObjectNode deployment = Repo.get(objects, "Deployment", service);
        JsonNode pod = Kustomize.podSpec(deployment);
        JsonNode c = container(deployment, service);
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
        assertTrue(c.at("/securityContext/readOnlyRootFilesystem").asBoolean());
        assertFalse(c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true));
        assertEquals("ALL", c.at("/securityContext/capabilities/drop/0").asText());
        List<String> mounts = new ArrayList<>();
        c.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
        assertTrue(mounts.contains("/tmp"), "writable /tmp on a read-only root");
        for (String q : List.of("/resources/requests/cpu", "/resources/requests/memory", "/resources/limits/memory")) {
            assertFalse(c.at(q).asText().isEmpty(), q);
        }
        assertEquals(c.at("/resources/requests/memory"), c.at("/resources/limits/memory"), "memory is not overcommitted");
        assertEquals(2, pod.path("topologySpreadConstraints").size());
        for (JsonNode t : pod.path("topologySpreadConstraints")) {
            assertTrue(selects(t.at("/labelSelector/matchLabels"), podLabels(deployment)));
        }
        String sa = pod.path("serviceAccountName").asText();
        assertEquals(service, sa);
        assertFalse(Repo.get(objects, "ServiceAccount", sa).path("automountServiceAccountToken").asBoolean(true));
        ObjectNode pdb = Repo.get(objects, "PodDisruptionBudget", service);
        assertTrue(selects(pdb.at("/spec/selector/matchLabels"), podLabels(deployment)));
        assertEquals(1, pdb.at("/spec/maxUnavailable").asInt());
        int replicas = deployment.at("/spec/replicas").asInt();
        assertEquals(overlay.equals("dev") ? 1 : 2, replicas);
    }

    @ParameterizedTest
    @MethodSource("overlayAndService")
    void consumersJoinAsStaticMembersNamedAfterTheirPod(String overlay, String service) {
        boolean consumes = channels(service).stream().anyMatch(Channel::incoming);
        JsonNode env = container(Repo.get(Repo.overlay(overlay), "Deployment", service), service).path("env");
        JsonNode instance = null;
        for (JsonNode e : env) {
            if (e.path("name").asText().equals("COHORT_KAFKA_GROUP_INSTANCE_ID")) {
                instance = e;
            }
        }
        // the env name is how SmallRye Config reads cohort.kafka.group-instance-id (StaticGroupMembership)
        assertEquals(consumes, instance != null, service + ": a consumer names its static group member after the pod");
        if (instance != null) {
            assertEquals("metadata.name", instance.at("/valueFrom/fieldRef/fieldPath").asText());
            assertTrue(sources("service-support").contains("\"cohort.kafka.group-instance-id\""));
        }
    }

    @ParameterizedTest
    @MethodSource("overlayAndService")
    void configurationAndSecretsPointAtTheServicesOwnDatabaseAndKafka(String overlay, String service) {
        Properties config = Repo.config(service);
        List<ObjectNode> objects = Repo.overlay(overlay);
        ObjectNode deployment = Repo.get(objects, "Deployment", service);
        JsonNode c = container(deployment, service);
        String configMapName = c.at("/envFrom/0/configMapRef/name").asText();
        JsonNode data = Repo.get(objects, "ConfigMap", configMapName).path("data");

        ObjectNode kafka = Repo.ofKind(objects, "Kafka").get(0);
        JsonNode listener = plainListener(kafka);
        assertEquals(Kustomize.name(kafka) + "-kafka-bootstrap:" + listener.path("port").asInt(),
                data.path("KAFKA_BOOTSTRAP_SERVERS").asText());
        assertTrue(config.containsKey("kafka.bootstrap.servers"), "the property the variable overrides");

        ObjectNode pg = Repo.ofKind(objects, "Cluster").get(0);
        String schema = config.getProperty("quarkus.flyway.schemas");
        ObjectNode database = Repo.ofKind(objects, "Database").stream()
                .filter(d -> d.at("/spec/name").asText().equals(schema)).findFirst()
                .orElseThrow(() -> new AssertionError("no Database for " + service));
        assertEquals(Kustomize.name(pg), database.at("/spec/cluster/name").asText());
        assertEquals("jdbc:postgresql://" + Kustomize.name(pg) + "-rw:5432/" + schema,
                data.path("QUARKUS_DATASOURCE_JDBC_URL").asText());
        assertTrue(config.getProperty("quarkus.datasource.jdbc.url").startsWith("jdbc:postgresql:"));

        String owner = database.at("/spec/owner").asText();
        JsonNode role = null;
        for (JsonNode r : pg.at("/spec/managed/roles")) {
            if (r.path("name").asText().equals(owner)) {
                role = r;
            }
        }
        assertNotNull(role, "managed role " + owner);
        assertTrue(role.path("login").asBoolean());
        String secret = role.at("/passwordSecret/name").asText();
        Map<String, JsonNode> env = new HashMap<>();
        c.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        assertEquals(secret, env.get("QUARKUS_DATASOURCE_USERNAME").at("/valueFrom/secretKeyRef/name").asText());
        assertEquals("username", env.get("QUARKUS_DATASOURCE_USERNAME").at("/valueFrom/secretKeyRef/key").asText());
        assertEquals(secret, env.get("QUARKUS_DATASOURCE_PASSWORD").at("/valueFrom/secretKeyRef/name").asText());
        assertEquals("password", env.get("QUARKUS_DATASOURCE_PASSWORD").at("/valueFrom/secretKeyRef/key").asText());
    }

    @ParameterizedTest
    @MethodSource("overlayAndService")
    void configMapVariablesOverrideRealPropertiesAndDirectoriesAreOnVolumes(String overlay, String service) {
        Properties config = Repo.config(service);
        List<ObjectNode> objects = Repo.overlay(overlay);
        JsonNode c = container(Repo.get(objects, "Deployment", service), service);
        JsonNode data = Repo.get(objects, "ConfigMap", c.at("/envFrom/0/configMapRef/name").asText()).path("data");
        Map<String, String> byEnv = new HashMap<>();
        config.stringPropertyNames().forEach(k -> byEnv.put(envName(k), k));
        data.fieldNames().forEachRemaining(variable -> assertTrue(
                variable.equals("JAVA_TOOL_OPTIONS") || byEnv.containsKey(variable),
                variable + " overrides no property of " + service + "'s application.properties"));
        for (String key : config.stringPropertyNames()) {
            if (!key.endsWith(".dir")) {
                continue;
            }
            String dir = data.has(envName(key)) ? data.get(envName(key)).asText()
                    : withVariables(config.getProperty(key).replace("${java.io.tmpdir}", "/tmp"), c, data);
            boolean mounted = false;
            for (JsonNode m : c.path("volumeMounts")) {
                String mp = m.path("mountPath").asText();
                mounted |= dir.equals(mp) || dir.startsWith(mp + "/");
            }
            assertTrue(mounted, key + "=" + dir + " is on the read-only root filesystem");
        }
    }

    /**
     * Resolves {@code ${VAR:default}} as the pod would: the container's literal env value, else the
     * ConfigMap's, else the default.
     */
    static String withVariables(String value, JsonNode container, JsonNode configMapData) {
        Map<String, String> env = new HashMap<>();
        configMapData.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        container.path("env").forEach(e -> {
            if (e.has("value")) {
                env.put(e.path("name").asText(), e.path("value").asText());
            }
        });
        Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+):([^}]*)}").matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(resolved, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group(2))));
        }
        return m.appendTail(resolved).toString();
    }

    /** Quarkus' environment variable for a property: upper case, every other character an underscore. */
    static String envName(String property) {
        return property.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    @Test
    void databasesAndRolesAreOnePerService() {
        List<ObjectNode> objects = Repo.overlay("prod");
        Set<String> schemas = new HashSet<>();
        Repo.SERVICES.forEach(s -> schemas.add(Repo.config(s).getProperty("quarkus.flyway.schemas")));
        Set<String> databases = new HashSet<>();
        Repo.ofKind(objects, "Database").forEach(d -> {
            databases.add(d.at("/spec/name").asText());
            assertEquals(d.at("/spec/name").asText(), d.at("/spec/owner").asText());
        });
        assertEquals(schemas, databases);
        Set<String> roles = new HashSet<>();
        Repo.ofKind(objects, "Cluster").get(0).at("/spec/managed/roles").forEach(r -> roles.add(r.path("name").asText()));
        assertEquals(schemas, roles);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyTopicIsAKafkaTopicAsTheContractsDesignIt(String overlay) {
        List<ObjectNode> objects = Repo.overlay(overlay);
        String cluster = Kustomize.name(Repo.ofKind(objects, "Kafka").get(0));
        Map<String, ObjectNode> topics = new HashMap<>();
        for (ObjectNode t : Repo.ofKind(objects, "KafkaTopic")) {
            if (StreamsTopicsTest.internalOf(t) != null) {
                continue; // Kafka Streams' own topics: StreamsTopicsTest
            }
            topics.put(t.at("/spec/topicName").asText(), t);
            assertEquals(cluster, t.at("/metadata/labels/strimzi.io~1cluster").asText());
        }
        assertEquals(Topics.ALL.stream().map(TopicSpec::name).collect(java.util.stream.Collectors.toSet()), topics.keySet());
        for (TopicSpec spec : Topics.ALL) {
            JsonNode cfg = topics.get(spec.name()).at("/spec/config");
            assertEquals(spec.cleanupPolicy(), cfg.path("cleanup.policy").asText(), spec.name());
            assertEquals(spec.retentionMs(), cfg.path("retention.ms").asLong(), spec.name());
            assertTrue(topics.get(spec.name()).at("/spec/partitions").asInt() >= 3, spec.name());
        }
        for (String service : Repo.SERVICES) {
            for (Channel ch : channels(service)) {
                assertTrue(topics.containsKey(ch.topic()), service + " uses " + ch.topic() + " which has no KafkaTopic");
            }
        }
    }

    @Test
    void kedaScalesOnTheServicesOwnConsumerGroupCappedByPartitions() {
        List<ObjectNode> objects = Repo.overlay("prod");
        List<ObjectNode> scaled = Repo.ofKind(objects, "ScaledObject");
        assertEquals(Set.of("feature-service", "model-service"),
                scaled.stream().map(o -> o.at("/spec/scaleTargetRef/name").asText()).collect(java.util.stream.Collectors.toSet()));
        for (ObjectNode so : scaled) {
            String service = so.at("/spec/scaleTargetRef/name").asText();
            Repo.get(objects, "Deployment", service);
            String bootstrap = Repo.get(objects, "ConfigMap", service + "-config").at("/data/KAFKA_BOOTSTRAP_SERVERS").asText();
            assertFalse(so.at("/spec/triggers").isEmpty());
            for (JsonNode t : so.at("/spec/triggers")) {
                assertEquals("kafka", t.path("type").asText());
                JsonNode m = t.path("metadata");
                assertEquals(bootstrap, m.path("bootstrapServers").asText());
                String topic = m.path("topic").asText();
                String group = m.path("consumerGroup").asText();
                assertTrue(channels(service).stream().anyMatch(c -> c.incoming() && c.topic().equals(topic) && group.equals(c.group()))
                        || streamsApplicationReads(service, group, topic),
                        service + " has no incoming channel or Kafka Streams application on " + topic + " in group " + group);
                assertTrue(so.at("/spec/maxReplicaCount").asInt() <= partitions(objects, topic),
                        "more replicas than partitions of " + topic);
            }
            assertTrue(so.at("/spec/minReplicaCount").asInt() >= 1);
        }
    }

    @Test
    void hpaScalesIngestAndSegmentOnCpuAndRequestRate() {
        List<ObjectNode> objects = Repo.overlay("prod");
        for (String service : List.of("ingest-service", "segment-service")) {
            ObjectNode hpa = Repo.get(objects, "HorizontalPodAutoscaler", service);
            assertEquals(service, hpa.at("/spec/scaleTargetRef/name").asText());
            assertEquals("Deployment", hpa.at("/spec/scaleTargetRef/kind").asText());
            List<String> types = new ArrayList<>();
            hpa.at("/spec/metrics").forEach(m -> types.add(m.path("type").asText()));
            assertEquals(List.of("Resource", "Pods"), types);
            assertEquals("cpu", hpa.at("/spec/metrics/0/resource/name").asText());
            assertTrue(hpa.at("/spec/minReplicas").asInt() >= 2);
            for (Channel ch : channels(service)) {
                if (ch.incoming()) {
                    assertTrue(hpa.at("/spec/maxReplicas").asInt() <= partitions(objects, ch.topic()),
                            service + " would run more consumers than partitions of " + ch.topic());
                }
            }
        }
        assertTrue(Repo.ofKind(Repo.overlay("dev"), "HorizontalPodAutoscaler").isEmpty());
        assertTrue(Repo.ofKind(Repo.overlay("dev"), "ScaledObject").isEmpty());
    }

    /** A service-to-service HTTP call the NetworkPolicies allow: caller, target, port, caller's URL property. */
    record Edge(String caller, String target, int port, String urlProperty) {
    }

    /** The only service-to-service calls; every other pair is denied in both directions. */
    static final List<Edge> ALLOWED_EDGES = List.of(
            new Edge("model-service", "feature-service", 8082, "cohort.model.feature-service.url"),
            new Edge("model-service", "segment-service", 8084, "cohort.model.segment-service.url"),
            new Edge("segment-service", "model-service", 8083, "cohort.segment.model-service.url"),
            // interactive queries forwarded to the pod owning the key: addressed by the owner's
            // application.server (its pod IP), not through a Service, so there is no URL property
            new Edge("segment-service", "segment-service", 8084, null),
            new Edge("feature-service", "feature-service", 8082, null));

    @Test
    void allowedEdgesTargetTheServicesApiPortAndTheirUrlPropertiesExist() {
        for (Edge e : ALLOWED_EDGES) {
            assertEquals(e.port(), Integer.parseInt(Repo.config(e.target()).getProperty("quarkus.http.port")), e.toString());
            if (e.urlProperty() == null) {
                assertEquals(e.caller(), e.target(), e + ": only pod-to-pod forwarding within a service has no URL");
                assertTrue(Repo.config(e.caller()).getProperty("quarkus.kafka-streams.application-server", "")
                        .startsWith("${COHORT_POD_IP"), e + ": pods announce their own address");
                continue;
            }
            assertNotNull(Repo.config(e.caller()).getProperty(e.urlProperty()), e + ": no such property");
        }
    }

    @ParameterizedTest
    @MethodSource("overlayAndService")
    void networkPolicyAllowsOnlyWhatTheServiceNeeds(String overlay, String service) {
        List<ObjectNode> objects = Repo.overlay(overlay);
        ObjectNode deployment = Repo.get(objects, "Deployment", service);
        int port = Integer.parseInt(Repo.config(service).getProperty("quarkus.http.port"));
        ObjectNode np = Repo.get(objects, "NetworkPolicy", service);
        assertTrue(selects(np.at("/spec/podSelector/matchLabels"), podLabels(deployment)));
        assertEquals(List.of("Ingress", "Egress"), List.of(np.at("/spec/policyTypes/0").asText(), np.at("/spec/policyTypes/1").asText()));
        List<Edge> in = ALLOWED_EDGES.stream().filter(e -> e.target().equals(service)).toList();
        List<Edge> out = ALLOWED_EDGES.stream().filter(e -> e.caller().equals(service)).toList();
        JsonNode ingress = np.at("/spec/ingress");
        assertEquals(1 + in.size(), ingress.size(), "the API plus one rule per allowed caller");
        for (JsonNode rule : ingress) {
            assertEquals(1, rule.path("ports").size());
            assertEquals(port, rule.at("/ports/0/port").asInt(), "ingress to the API port only");
        }
        for (String other : Repo.SERVICES) {
            Map<String, String> otherPod = podLabels(Repo.get(objects, "Deployment", other));
            boolean allowed = in.stream().anyMatch(e -> e.caller().equals(other));
            assertEquals(allowed, admitsPod(ingress, otherPod), "ingress from " + other + " to " + service);
        }

        ObjectNode kafka = Repo.ofKind(objects, "Kafka").get(0);
        Map<String, String> kafkaPod = Map.of("strimzi.io/cluster", Kustomize.name(kafka), "strimzi.io/kind", "Kafka",
                "strimzi.io/name", Kustomize.name(kafka) + "-kafka");
        Map<String, String> pgPod = Map.of("cnpg.io/cluster", Kustomize.name(Repo.ofKind(objects, "Cluster").get(0)));
        JsonNode egress = np.at("/spec/egress");
        int provider = SecurityManifestsTest.TALK_TO_THE_ISSUER.contains(service) ? 1 : 0;
        assertEquals(3 + provider + out.size(), egress.size(),
                "Kafka, PostgreSQL, DNS, the OIDC provider where needed and one rule per allowed target");
        for (JsonNode rule : egress) {
            assertFalse(rule.path("to").isEmpty(), "no egress rule open to every destination");
            assertFalse(rule.path("ports").isEmpty(), "no egress rule open to every port");
        }
        assertTrue(allows(egress, kafkaPod, plainListener(kafka).path("port").asInt()), "egress to Kafka");
        assertTrue(allows(egress, pgPod, 5432), "egress to PostgreSQL");
        for (String other : Repo.SERVICES) {
            Map<String, String> otherPod = podLabels(Repo.get(objects, "Deployment", other));
            int otherPort = Integer.parseInt(Repo.config(other).getProperty("quarkus.http.port"));
            boolean allowed = out.stream().anyMatch(e -> e.target().equals(other));
            assertEquals(allowed, allows(egress, otherPod, otherPort), "egress from " + service + " to " + other);
            for (int p : List.of(8081, 8082, 8083, 8084)) {
                if (p != otherPort) {
                    assertFalse(allows(egress, otherPod, p), "egress from " + service + " to " + other + ":" + p);
                }
            }
        }
        boolean dns = false;
        for (JsonNode rule : egress) {
            for (JsonNode p : rule.path("ports")) {
                dns |= p.path("port").asInt() == 53;
            }
        }
        assertTrue(dns, "egress to DNS");

        // the caller reaches each allowed target by its in-cluster Service name and Service port, which maps to the
        // pod port the policies allow (policies see the pod port, the URL the Service port)
        JsonNode data = Repo.get(objects, "ConfigMap", container(deployment, service).at("/envFrom/0/configMapRef/name").asText())
                .path("data");
        for (Edge e : out.stream().filter(e -> e.urlProperty() != null).toList()) {
            JsonNode svcPort = Repo.get(objects, "Service", e.target()).at("/spec/ports/0");
            assertEquals(e.port(), svcPort.path("targetPort").asInt(), "Service " + e.target() + " targets the pod port");
            assertEquals("http://" + e.target() + ":" + svcPort.path("port").asInt(),
                    data.path(envName(e.urlProperty())).asText(), e.toString());
        }
    }

    /**
     * Whether some ingress rule admits a pod of the same namespace with these labels by a pod selector. A rule
     * without peers (ingest-service's public tracking API) is not a service-to-service edge; its port is checked.
     */
    private static boolean admitsPod(JsonNode ingress, Map<String, String> pod) {
        for (JsonNode rule : ingress) {
            for (JsonNode from : rule.path("from")) {
                if (from.has("podSelector") && !from.has("namespaceSelector")
                        && selects(from.at("/podSelector/matchLabels"), pod)) {
                    return true;
                }
            }
        }
        return false;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void trainingCronJobRunsTheModelServiceImageInBatchModeWithTheDeploymentsConfiguration(String overlay)
            throws IOException {
        List<ObjectNode> objects = Repo.overlay(overlay);
        ObjectNode cron = Repo.get(objects, "CronJob", "model-training");
        JsonNode job = Kustomize.containers(cron).get(0);
        JsonNode service = container(Repo.get(objects, "Deployment", "model-service"), "model-service");
        assertEquals(service.path("image").asText(), job.path("image").asText(), "the model-service image");
        assertTrue(job.path("command").isMissingNode() && job.path("args").isMissingNode(),
                "the image's own entry point: batch mode is switched by configuration");

        // batch mode: the property the entry point reads, the families it knows
        Map<String, String> env = new HashMap<>();
        job.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        String batch = Files.readString(Repo.root().resolve(
                "model-service/src/main/java/io/cohort/model/batch/BatchTraining.java"));
        assertTrue(batch.contains("PROPERTY = \"cohort.model.batch.train\""));
        String families = Files.readString(Repo.root().resolve(
                "model-service/src/main/java/io/cohort/model/domain/ModelFamilies.java"));
        String listed = env.get("COHORT_MODEL_BATCH_TRAIN");
        assertNotNull(listed, "COHORT_MODEL_BATCH_TRAIN");
        for (String family : listed.split(",")) {
            assertTrue(families.contains("\"" + family.trim() + "\""), "unknown family " + family);
        }
        // a batch pod must not join the service's consumer group, nor run the service's schedules
        Properties config = Repo.config("model-service");
        assertEquals("${cohort.model.features.consume}", config.getProperty("mp.messaging.incoming.features-in.enabled"));
        assertEquals("false", env.get("COHORT_MODEL_FEATURES_CONSUME"));
        assertNotNull(config.getProperty("cohort.model.retrain.cron"));
        assertEquals("off", env.get("COHORT_MODEL_RETRAIN_CRON"));
        assertNotNull(config.getProperty("cohort.model.monitoring.every"));
        assertEquals("off", env.get("COHORT_MODEL_MONITORING_EVERY"));

        // the Deployment's configuration: same ConfigMap, same database Secret, same service account
        assertEquals(service.path("envFrom"), job.path("envFrom"));
        for (JsonNode e : service.path("env")) {
            if (e.path("name").asText().equals("COHORT_SECURITY_CLIENT_SECRET")) {
                continue; // the job is its own OIDC client (SecurityManifestsTest)
            }
            boolean same = false;
            for (JsonNode j : job.path("env")) {
                same |= j.equals(e);
            }
            assertTrue(same, "the job has the Deployment's " + e.path("name").asText());
        }
        JsonNode pod = Kustomize.podSpec(cron);
        assertEquals("model-service", pod.path("serviceAccountName").asText());
        assertEquals("Never", pod.path("restartPolicy").asText());
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
        assertTrue(job.at("/securityContext/readOnlyRootFilesystem").asBoolean());
        assertEquals("/tmp", job.at("/volumeMounts/0/mountPath").asText(), "writable /tmp on a read-only root");
        assertEquals(job.at("/resources/requests/memory"), job.at("/resources/limits/memory"));
        assertEquals("Forbid", cron.at("/spec/concurrencyPolicy").asText(), "one training run at a time");

        // it reaches what model-service reaches (Kafka, its PostgreSQL, DNS) and nothing connects to it
        Map<String, String> jobPod = new HashMap<>();
        cron.at("/spec/jobTemplate/spec/template/metadata/labels").fields()
                .forEachRemaining(e -> jobPod.put(e.getKey(), e.getValue().asText()));
        ObjectNode np = Repo.get(objects, "NetworkPolicy", "model-training");
        assertTrue(selects(np.at("/spec/podSelector/matchLabels"), jobPod));
        assertTrue(np.at("/spec/ingress").isMissingNode() || np.at("/spec/ingress").isEmpty(), "no ingress");
        ObjectNode kafka = Repo.ofKind(objects, "Kafka").get(0);
        Map<String, String> kafkaPod = Map.of("strimzi.io/cluster", Kustomize.name(kafka), "strimzi.io/kind", "Kafka",
                "strimzi.io/name", Kustomize.name(kafka) + "-kafka");
        Map<String, String> pgPod = Map.of("cnpg.io/cluster", Kustomize.name(Repo.ofKind(objects, "Cluster").get(0)));
        JsonNode egress = np.at("/spec/egress");
        assertTrue(allows(egress, kafkaPod, plainListener(kafka).path("port").asInt()), "egress to Kafka");
        assertTrue(allows(egress, pgPod, 5432), "egress to PostgreSQL");
        int modelPort = Integer.parseInt(config.getProperty("quarkus.http.port"));
        assertFalse(allows(egress, Map.of("app.kubernetes.io/name", "model-service"), modelPort),
                "the job trains itself; it does not call the service");
        // propensity and churn families read training sets from feature-service: the job's one service-to-service
        // edge, allowed on both sides; no other service is reachable
        boolean needsTrainingSets = Arrays.stream(listed.split(",")).map(String::trim)
                .anyMatch(f -> f.startsWith("propensity.") || f.startsWith("churn."));
        for (String other : Repo.SERVICES) {
            Map<String, String> otherPod = podLabels(Repo.get(objects, "Deployment", other));
            int otherPort = Integer.parseInt(Repo.config(other).getProperty("quarkus.http.port"));
            boolean expected = needsTrainingSets && other.equals("feature-service");
            assertEquals(expected, allows(egress, otherPod, otherPort), "egress from the training job to " + other);
            JsonNode otherIngress = Repo.get(objects, "NetworkPolicy", other).at("/spec/ingress");
            assertEquals(expected, admitsPod(otherIngress, jobPod), "ingress from the training job to " + other);
        }
        assertEquals(3 + (needsTrainingSets ? 2 : 0), egress.size(),
                "Kafka, PostgreSQL, DNS (and feature-service with the OIDC provider for its token)");
    }

    @ParameterizedTest
    @MethodSource("overlayAndService")
    void alertsUseMetricsTheServiceRegisters(String overlay, String service) {
        ObjectNode rule = Repo.get(Repo.overlay(overlay), "PrometheusRule", service);
        String sources = sources(service);
        Pattern metric = Pattern.compile("\\b(cohort_[a-z_]+?)(_total|_seconds_count|_seconds_sum|_seconds_bucket|_seconds_max|_seconds)?\\b");
        int alerts = 0;
        for (JsonNode group : rule.at("/spec/groups")) {
            for (JsonNode r : group.path("rules")) {
                alerts++;
                String expr = r.path("expr").asText();
                Matcher m = metric.matcher(expr);
                while (m.find()) {
                    String dotted = m.group(1).replace('_', '.');
                    assertTrue(sources.contains("\"" + dotted + "\""),
                            service + " registers no metric " + dotted + " (alert " + r.path("alert").asText() + ")");
                }
                Matcher job = Pattern.compile("(?<![a-z_])job=\"([a-z-]+)\"").matcher(expr);
                while (job.find()) {
                    assertEquals(service, job.group(1));
                }
            }
        }
        assertTrue(alerts >= 2, "error rate plus the service's own signal");
    }

    // helpers

    record Channel(String name, boolean incoming, String topic, String group) {
    }

    /** Whether the service's Kafka Streams application (its application id is its group) reads the topic. */
    static boolean streamsApplicationReads(String service, String group, String topic) {
        Properties p = Repo.config(service);
        return group.equals(p.getProperty("quarkus.kafka-streams.application-id"))
                && List.of(p.getProperty("quarkus.kafka-streams.topics", "").split(",")).contains(topic);
    }

    /** The service's Kafka channels (mp.messaging.incoming/outgoing.NAME.topic). */
    static List<Channel> channels(String service) {
        Properties p = Repo.config(service);
        List<Channel> out = new ArrayList<>();
        Pattern key = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.topic");
        for (String k : p.stringPropertyNames()) {
            Matcher m = key.matcher(k);
            if (m.matches()) {
                String prefix = "mp.messaging." + m.group(1) + "." + m.group(2) + ".";
                out.add(new Channel(m.group(2), m.group(1).equals("incoming"), p.getProperty(k),
                        p.getProperty(prefix + "group.id")));
            }
        }
        assertFalse(out.isEmpty(), service + " has Kafka channels");
        return out;
    }

    private static int partitions(List<ObjectNode> objects, String topic) {
        return Repo.ofKind(objects, "KafkaTopic").stream().filter(t -> t.at("/spec/topicName").asText().equals(topic))
                .findFirst().orElseThrow().at("/spec/partitions").asInt();
    }

    private static JsonNode plainListener(ObjectNode kafka) {
        for (JsonNode l : kafka.at("/spec/kafka/listeners")) {
            if (l.path("type").asText().equals("internal") && !l.path("tls").asBoolean()) {
                return l;
            }
        }
        throw new AssertionError("no plain internal listener");
    }

    private static String nonApplicationRoot(Properties config) {
        return "/" + config.getProperty("quarkus.http.non-application-root-path", "q");
    }

    private static void assertProbe(JsonNode container, String probe, String path, int port) {
        assertEquals(path, container.at("/" + probe + "/httpGet/path").asText(), probe);
        JsonNode p = container.at("/" + probe + "/httpGet/port");
        assertTrue(p.asInt() == port || p.asText().equals("http"), probe + " port " + p);
    }

    private static JsonNode container(ObjectNode deployment, String name) {
        for (JsonNode c : Kustomize.containers(deployment)) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no container " + name);
    }

    private static Map<String, String> podLabels(ObjectNode deployment) {
        Map<String, String> labels = new HashMap<>();
        deployment.at("/spec/template/metadata/labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private static boolean selects(JsonNode selector, JsonNode labels) {
        Map<String, String> l = new HashMap<>();
        labels.fields().forEachRemaining(e -> l.put(e.getKey(), e.getValue().asText()));
        return selects(selector, l);
    }

    private static boolean selects(JsonNode selector, Map<String, String> labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        boolean all = true;
        for (var it = selector.fields(); it.hasNext();) {
            var e = it.next();
            all &= e.getValue().asText().equals(labels.get(e.getKey()));
        }
        return all;
    }

    /** Whether some egress rule lets traffic reach a pod (same namespace) with these labels on this port. */
    private static boolean allows(JsonNode egress, Map<String, String> pod, int port) {
        for (JsonNode rule : egress) {
            boolean portOk = rule.path("ports").isEmpty();
            for (JsonNode p : rule.path("ports")) {
                portOk |= p.path("port").asInt() == port;
            }
            boolean peerOk = false;
            for (JsonNode to : rule.path("to")) {
                peerOk |= to.has("podSelector") && !to.has("namespaceSelector")
                        && selects(to.at("/podSelector/matchLabels"), pod);
            }
            if (portOk && peerOk) {
                return true;
            }
        }
        return false;
    }

    private static String sources(String service) {
        Path src = Repo.root().resolve(service).resolve("src/main/java");
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                sb.append(Files.readString(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }
}
