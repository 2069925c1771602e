package io.cohort.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small, offline implementation of the part of kustomize that Cohort's kustomizations use, so the
 * build can render and validate every overlay without kubectl. {@code kubectl kustomize DIR} gives
 * the same objects (checked by {@code KubectlParityTest} wherever kubectl is installed).
 *
 * <p>Supported fields of {@code kustomization.yaml}; anything else is rejected, so the
 * kustomizations cannot silently leave the subset:
 * <ul>
 * <li>{@code resources}: YAML files (one or more documents) and directories holding a kustomization,
 * rendered recursively;</li>
 * <li>{@code patches}: entries with {@code path} only; each file is a strategic-merge patch whose
 * target is the object with the patch's {@code kind} and {@code metadata.name} (it must exist);</li>
 * <li>{@code namespace}: set on every namespaced object;</li>
 * <li>{@code labels}: {@code pairs} added to {@code metadata.labels} of every object
 * ({@code includeSelectors} must be false and {@code includeTemplates} is not supported);</li>
 * <li>{@code replicas}: {@code name}/{@code count}, applied to Deployments and StatefulSets;</li>
 * <li>{@code images}: {@code name} with {@code newName} and/or {@code newTag}, applied to every
 * container and init container of pod templates, job templates and pods.</li>
 * </ul>
 * Transformers run in kustomize's order: patches, namespace, labels, replicas, images.
 *
 * <p>Strategic merge: maps merge recursively and {@code null} deletes a key; lists of core
 * Kubernetes objects merge by their patch merge key ({@code name} for containers, env, volumes;
 * {@code mountPath} for volume mounts; {@code containerPort} for container ports, {@code port}
 * for service ports), the patch's entries first; every other list, and every list of a custom
 * resource, is replaced.
 */
public final class Kustomize {

    public static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build());

    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "patches", "namespace",
            "labels", "replicas", "images");

    /** Kinds that live outside namespaces (kustomize leaves them alone). */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "CustomResourceDefinition",
            "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass", "PriorityClass",
            "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration");

    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "env", "name",
            "volumes", "name",
            "volumeMounts", "mountPath",
            "imagePullSecrets", "name");

    private Kustomize() {
    }

    /** Renders the kustomization in {@code dir}. */
    public static List<ObjectNode> render(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no kustomization.yaml in " + dir);
        }
        JsonNode k = readOne(file);
        for (Iterator<String> it = k.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!SUPPORTED.contains(field)) {
                throw new IllegalArgumentException(file + ": field '" + field + "' is outside the supported subset");
            }
        }
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) {
                objects.addAll(render(p));
            } else {
                objects.addAll(readAll(p));
            }
        }
        assertUnique(objects, dir);
        for (JsonNode patch : k.path("patches")) {
            if (!patch.has("path") || patch.size() != 1) {
                throw new IllegalArgumentException(file + ": only 'patches: - path: FILE' is supported");
            }
            for (ObjectNode p : readAll(dir.resolve(patch.get("path").asText()))) {
                applyPatch(objects, p, dir);
            }
        }
        if (k.hasNonNull("namespace")) {
            String ns = k.get("namespace").asText();
            for (ObjectNode o : objects) {
                if (!CLUSTER_SCOPED.contains(o.path("kind").asText())) {
                    metadata(o).put("namespace", ns);
                }
            }
        }
        for (JsonNode l : k.path("labels")) {
            if (l.path("includeSelectors").asBoolean(false) || l.has("includeTemplates")) {
                throw new IllegalArgumentException(file + ": labels support only pairs with includeSelectors: false");
            }
            for (ObjectNode o : objects) {
                ObjectNode labels = object(metadata(o), "labels");
                l.path("pairs").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            }
        }
        for (JsonNode r : k.path("replicas")) {
            String name = r.get("name").asText();
            boolean found = false;
            for (ObjectNode o : objects) {
                String kind = o.path("kind").asText();
                if ((kind.equals("Deployment") || kind.equals("StatefulSet")) && name.equals(name(o))) {
                    object(o, "spec").put("replicas", r.get("count").asInt());
                    found = true;
                }
            }
            if (!found) {
                throw new IllegalArgumentException(file + ": replicas for unknown workload " + name);
            }
        }
        for (JsonNode img : k.path("images")) {
            for (ObjectNode o : objects) {
                for (ObjectNode c : containers(o)) {
                    retag(c, img);
                }
            }
        }
        return objects;
    }

    /** Every container and init container of a Deployment/StatefulSet/Job/CronJob/Pod. */
    public static List<ObjectNode> containers(JsonNode o) {
        List<ObjectNode> out = new ArrayList<>();
        JsonNode podSpec = podSpec(o);
        if (podSpec != null) {
            for (String f : List.of("containers", "initContainers")) {
                podSpec.path(f).forEach(c -> out.add((ObjectNode) c));
            }
        }
        return out;
    }

    /** The pod spec of a workload, or null for other kinds. */
    public static JsonNode podSpec(JsonNode o) {
        return switch (o.path("kind").asText()) {
            case "Pod" -> o.path("spec");
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> o.path("spec").path("template").path("spec");
            case "CronJob" -> o.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
            default -> null;
        };
    }

    private static void retag(ObjectNode container, JsonNode img) {
        String image = container.path("image").asText();
        String name = img.get("name").asText();
        String repo = image;
        String tag = null;
        int at = image.indexOf('@');
        int colon = image.lastIndexOf(':');
        if (at < 0 && colon > image.lastIndexOf('/')) {
            repo = image.substring(0, colon);
            tag = image.substring(colon + 1);
        }
        if (at >= 0 || !repo.equals(name)) {
            return;
        }
        String newRepo = img.hasNonNull("newName") ? img.get("newName").asText() : repo;
        String newTag = img.hasNonNull("newTag") ? img.get("newTag").asText() : tag;
        container.put("image", newTag == null ? newRepo : newRepo + ":" + newTag);
    }

    private static void applyPatch(List<ObjectNode> objects, ObjectNode patch, Path dir) {
        String kind = patch.path("kind").asText();
        String name = name(patch);
        for (ObjectNode o : objects) {
            if (kind.equals(o.path("kind").asText()) && name.equals(name(o))) {
                boolean core = isCore(o.path("apiVersion").asText());
                merge(o, patch, core);
                return;
            }
        }
        throw new IllegalArgumentException(dir + ": patch target " + kind + "/" + name + " not found");
    }

    private static boolean isCore(String apiVersion) {
        if (!apiVersion.contains("/")) {
            return true;
        }
        String group = apiVersion.substring(0, apiVersion.indexOf('/'));
        return !group.contains(".") || group.endsWith(".k8s.io");
    }

    /** Strategic merge of {@code patch} into {@code target} (see the class comment for the rules). */
    public static void merge(ObjectNode target, JsonNode patch, boolean coreKind) {
        patch.fields().forEachRemaining(e -> {
            String key = e.getKey();
            JsonNode value = e.getValue();
            JsonNode current = target.get(key);
            if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && current != null && current.isObject()) {
                merge((ObjectNode) current, value, coreKind);
            } else if (value.isArray() && current != null && current.isArray() && coreKind
                    && (MERGE_KEYS.containsKey(key) || key.equals("ports"))) {
                mergeList((ArrayNode) current, (ArrayNode) value, mergeKey(key, (ArrayNode) current), coreKind);
            } else {
                target.set(key, value.deepCopy());
            }
        });
    }

    private static String mergeKey(String field, ArrayNode current) {
        if (field.equals("ports")) {
            return current.size() > 0 && current.get(0).has("containerPort") ? "containerPort" : "port";
        }
        return MERGE_KEYS.get(field);
    }

    /**
     * Merges lists by key the way kustomize (kyaml) does: the patch's entries first, in the
     * patch's order (merged into the matching entry when there is one), then the entries the patch
     * does not mention, in their original order.
     */
    private static void mergeList(ArrayNode current, ArrayNode patch, String key, boolean coreKind) {
        List<JsonNode> result = new ArrayList<>();
        Set<JsonNode> used = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (JsonNode p : patch) {
            ObjectNode match = null;
            for (JsonNode c : current) {
                if (!used.contains(c) && c.path(key).equals(p.path(key))) {
                    match = (ObjectNode) c;
                }
            }
            if (match != null) {
                used.add(match);
                merge(match, p, coreKind);
                result.add(match);
            } else {
                result.add(p.deepCopy());
            }
        }
        for (JsonNode c : current) {
            if (!used.contains(c)) {
                result.add(c);
            }
        }
        current.removeAll();
        result.forEach(current::add);
    }

    private static void assertUnique(List<ObjectNode> objects, Path dir) {
        Set<String> seen = new java.util.HashSet<>();
        for (ObjectNode o : objects) {
            String id = o.path("kind").asText() + "/" + metadata(o).path("namespace").asText("") + "/" + name(o);
            if (!seen.add(id)) {
                throw new IllegalArgumentException(dir + ": duplicate object " + id);
            }
        }
    }

    public static String name(JsonNode o) {
        return o.path("metadata").path("name").asText();
    }

    private static ObjectNode metadata(ObjectNode o) {
        return object(o, "metadata");
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n instanceof ObjectNode on) {
            return on;
        }
        return parent.putObject(field);
    }

    /** Reads the single document of a YAML file. */
    public static JsonNode readOne(Path file) {
        List<ObjectNode> docs = readAll(file);
        if (docs.size() != 1) {
            throw new IllegalArgumentException(file + ": expected one YAML document, found " + docs.size());
        }
        return docs.get(0);
    }

    /** Reads every non-empty document of a YAML file. */
    public static List<ObjectNode> readAll(Path file) {
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            List<ObjectNode> out = new ArrayList<>();
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n == null || n.isNull() || n.isMissingNode() || n.isEmpty()) {
                    continue;
                }
                if (!n.isObject()) {
                    throw new IllegalArgumentException(file + ": a document is not a mapping");
                }
                out.add((ObjectNode) n);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    /** Writes objects as a multi-document YAML stream, like {@code kubectl kustomize}. */
    public static String toYaml(List<ObjectNode> objects) {
        StringBuilder sb = new StringBuilder();
        for (ObjectNode o : objects) {
            if (sb.length() > 0) {
                sb.append("---\n");
            }
            try {
                sb.append(YAML.writeValueAsString(o));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sb.toString();
    }

    /** {@code java io.cohort.k8s.Kustomize k8s/overlays/prod} prints the rendered overlay. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: Kustomize <dir with kustomization.yaml>");
            System.exit(2);
        }
        System.out.print(toYaml(render(Path.of(args[0]))));
    }
}
