package io.cohort.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonParser;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates one rendered object against the model of its kind, offline:
 * <ul>
 * <li>Kubernetes kinds: the official Kubernetes Java client's models ({@code io.kubernetes:client-java-api},
 * generated from the Kubernetes OpenAPI spec), whose {@code validateJsonElement} rejects unknown
 * fields and missing required fields at every level;</li>
 * <li>Strimzi ({@code kafka.strimzi.io}): Strimzi's own CRD model classes ({@code io.strimzi:api}),
 * the ones its CRDs are generated from; Prometheus operator ({@code monitoring.coreos.com}):
 * fabric8's models. Both keep unknown fields aside instead of failing, so every object of the
 * deserialized graph is checked for left-over unknown fields; enums and types fail on read;</li>
 * <li>KEDA and CloudNativePG: JSON Schemas in {@code k8s/schemas} (no model library for them is
 * published to Maven Central; see k8s/schemas/README.md).</li>
 * </ul>
 * Plus what every kind shares: names are DNS subdomains, label keys and values are valid.
 */
final class ModelValidator {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private static final Map<String, String> MODELS = Map.of(
            "kafka.strimzi.io/v1beta2/Kafka", "io.strimzi.api.kafka.model.kafka.Kafka",
            "kafka.strimzi.io/v1beta2/KafkaNodePool", "io.strimzi.api.kafka.model.nodepool.KafkaNodePool",
            "kafka.strimzi.io/v1beta2/KafkaTopic", "io.strimzi.api.kafka.model.topic.KafkaTopic",
            "monitoring.coreos.com/v1/ServiceMonitor", "io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor",
            "monitoring.coreos.com/v1/PrometheusRule", "io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule");

    private static final Set<String> SCHEMAS = Set.of("keda.sh/v1alpha1/ScaledObject",
            "postgresql.cnpg.io/v1/Cluster", "postgresql.cnpg.io/v1/Database", "postgresql.cnpg.io/v1/ScheduledBackup");

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
    private static final Pattern LABEL_PREFIX = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private ModelValidator() {
    }

    /** The problems found, empty when the object is valid. */
    static List<String> validate(JsonNode o) {
        List<String> problems = new ArrayList<>(common(o));
        String apiVersion = o.path("apiVersion").asText();
        String kind = o.path("kind").asText();
        String key = apiVersion + "/" + kind;
        try {
            if (isKubernetes(apiVersion)) {
                kubernetes(apiVersion, kind, o);
            } else if (MODELS.containsKey(key)) {
                Object model = JSON.treeToValue(o, Class.forName(MODELS.get(key)));
                unknownFields(model, kind, problems, new IdentityHashMap<>());
            } else if (SCHEMAS.contains(key)) {
                for (ValidationMessage m : schema(key).validate(o)) {
                    problems.add(m.getMessage());
                }
            } else {
                problems.add("no model or schema for " + key + ": add one before using this kind");
            }
        } catch (Exception e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            problems.add(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
        return problems;
    }

    static boolean isKubernetes(String apiVersion) {
        if (!apiVersion.contains("/")) {
            return true;
        }
        String group = apiVersion.substring(0, apiVersion.indexOf('/'));
        return !group.contains(".") || group.endsWith(".k8s.io");
    }

    private static void kubernetes(String apiVersion, String kind, JsonNode o) throws Exception {
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        String cls = "io.kubernetes.client.openapi.models." + Character.toUpperCase(version.charAt(0))
                + version.substring(1) + kind;
        Method validate = Class.forName(cls).getMethod("validateJsonElement", com.google.gson.JsonElement.class);
        validate.invoke(null, JsonParser.parseString(JSON.writeValueAsString(o)));
    }

    private static final Map<String, JsonSchema> SCHEMA_CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    private static JsonSchema schema(String key) {
        return SCHEMA_CACHE.computeIfAbsent(key, k -> {
            Path file = Repo.k8s().resolve("schemas").resolve(k.replace('/', '_') + ".json");
            try {
                return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(Files.readString(file));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Walks a fabric8/Strimzi model graph and reports every field the model did not know. */
    private static void unknownFields(Object node, String path, List<String> problems, IdentityHashMap<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, problems, seen));
            return;
        }
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object v : c) {
                unknownFields(v, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        String pkg = node.getClass().getPackageName();
        if (!pkg.startsWith("io.strimzi.api") && !pkg.startsWith("io.fabric8.kubernetes.api.model")
                && !pkg.startsWith("io.fabric8.openshift.api.model")) {
            return;
        }
        for (Method m : node.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(node);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
                continue;
            }
            String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            com.fasterxml.jackson.annotation.JsonProperty jp = m.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            if (value == null && jp != null && jp.required()) {
                // also what an unknown enum value becomes (Strimzi's enums read unknown values as null)
                problems.add(path + "." + field + ": required, missing or not one of the allowed values");
            }
            unknownFields(value, path + "." + field, problems, seen);
        }
    }

    private static List<String> common(JsonNode o) {
        List<String> problems = new ArrayList<>();
        String name = Kustomize.name(o);
        if (name.isEmpty() || name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            problems.add("metadata.name '" + name + "' is not a DNS subdomain");
        }
        labels(o.path("metadata").path("labels"), "metadata.labels", problems);
        JsonNode pod = Kustomize.podSpec(o);
        if (pod != null) {
            JsonNode template = o.path("kind").asText().equals("CronJob")
                    ? o.path("spec").path("jobTemplate").path("spec").path("template")
                    : o.path("spec").path("template");
            labels(template.path("metadata").path("labels"), "template labels", problems);
        }
        return problems;
    }

    private static void labels(JsonNode labels, String where, List<String> problems) {
        labels.fields().forEachRemaining(e -> {
            String key = e.getKey();
            String prefix = key.contains("/") ? key.substring(0, key.indexOf('/')) : null;
            String local = key.contains("/") ? key.substring(key.indexOf('/') + 1) : key;
            boolean ok = !local.isEmpty() && local.length() <= 63 && LABEL_NAME.matcher(local).matches()
                    && (prefix == null || prefix.length() <= 253 && LABEL_PREFIX.matcher(prefix).matches());
            String value = e.getValue().asText();
            if (!ok || !e.getValue().isTextual() || value.length() > 63 || !LABEL_NAME.matcher(value).matches()) {
                problems.add(where + ": invalid label " + key + "=" + e.getValue());
            }
        });
    }
}
