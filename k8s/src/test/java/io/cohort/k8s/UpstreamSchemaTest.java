package io.cohort.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Validates every rendered object against the <em>upstream</em> OpenAPI schemas: Kubernetes' own and
 * the CRD schemas published by Strimzi, CloudNativePG, KEDA and the Prometheus operator. The
 * validators are the ones the kubernetes-models packages (npm) generate from those schemas; versions
 * are pinned with integrity hashes in {@code src/test/node/package-lock.json} and installed with
 * {@code npm ci} into {@code target/}. This complements {@link ModelValidator}: the upstream schemas
 * check types, required fields and enums exactly as the API server would (they accept unknown
 * fields, as a non-strict apply does), while ModelValidator rejects unknown fields.
 *
 * <p>Needs Node.js and npm (present on the build and CI machines; Node 20 works although the
 * packages declare 22). On a machine with only a JDK the test is skipped with a message, so
 * {@code ./mvnw verify} still needs nothing but a JDK; {@code -Dk8s.upstream-schemas=require} makes a
 * missing Node.js a failure, {@code =skip} skips knowingly.
 */
class UpstreamSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path work;

    @BeforeAll
    static void installValidators() throws Exception {
        String mode = System.getProperty("k8s.upstream-schemas", "auto");
        if (mode.equals("skip")) {
            Assumptions.abort("-Dk8s.upstream-schemas=skip");
        }
        if (mode.equals("auto") && (find("node") == null || find("npm") == null)) {
            System.err.println("UpstreamSchemaTest skipped: Node.js/npm not on PATH (the strict schema layer still ran)");
            Assumptions.abort("Node.js and npm are not on PATH");
        }
        Path source = Repo.k8s().resolve("src/test/node");
        work = Repo.k8s().resolve("target/upstream-schemas");
        Files.createDirectories(work);
        boolean lockChanged = !Files.exists(work.resolve("package-lock.json"))
                || Files.mismatch(source.resolve("package-lock.json"), work.resolve("package-lock.json")) != -1;
        for (String f : List.of("package.json", "package-lock.json", "validate.mjs")) {
            Files.copy(source.resolve(f), work.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (lockChanged || !Files.isDirectory(work.resolve("node_modules/kubernetes-models"))) {
            run(List.of(tool("npm"), "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"), 300);
        }
    }

    static List<String> overlays() {
        return Repo.OVERLAYS;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyRenderedObjectMatchesItsUpstreamSchema(String overlay) throws Exception {
        List<ObjectNode> objects = Repo.overlay(overlay);
        Map<String, List<String>> problems = new LinkedHashMap<>();
        JsonNode results = validate(objects);
        assertEquals(objects.size(), results.size(), "one result per object");
        for (JsonNode r : results) {
            List<String> errors = new ArrayList<>();
            r.path("errors").forEach(e -> errors.add(e.asText()));
            if (!errors.isEmpty()) {
                problems.put(r.path("id").asText(), errors);
            }
        }
        assertEquals(Map.of(), problems);
    }

    // the upstream validators catch what they claim to catch, for each source of schemas

    /** A breakage of one rendered object: which object, the JSON pointer of the parent, what to do there. */
    record Breakage(String kind, String name, String parent, String field, String textValue, String expectedInError) {
        @Override
        public String toString() {
            return kind + " " + parent + "/" + field + (textValue == null ? " removed" : " = \"" + textValue + "\"");
        }
    }

    static List<Breakage> breakages() {
        return List.of(
                new Breakage("ScaledObject", null, "/spec", "maxReplicaCount", "six", "/spec/maxReplicaCount"),
                new Breakage("Cluster", null, "/spec", "instances", "three", "/spec/instances"),
                new Breakage("Database", null, "/spec", "cluster", null, "cluster"),
                new Breakage("KafkaTopic", null, "/spec", "partitions", "six", "/spec/partitions"),
                new Breakage("PrometheusRule", null, "/spec/groups/0", "name", null, "name"),
                new Breakage("Deployment", "segment-service", "/spec", "selector", null, "selector"));
    }

    @ParameterizedTest
    @MethodSource("breakages")
    void brokenObjectIsRejectedByItsUpstreamSchema(Breakage b) throws Exception {
        List<ObjectNode> prod = Repo.overlay("prod");
        ObjectNode o = (b.name() == null ? Repo.ofKind(prod, b.kind()).get(0) : Repo.get(prod, b.kind(), b.name())).deepCopy();
        ObjectNode parent = (ObjectNode) o.at(b.parent());
        if (b.textValue() == null) {
            assertTrue(parent.has(b.field()), "the rendered object has " + b);
            parent.remove(b.field());
        } else {
            parent.put(b.field(), b.textValue());
        }
        JsonNode r = validate(List.of(o)).get(0);
        assertFalse(r.path("errors").isEmpty(), "accepted: " + b);
        assertTrue(r.path("errors").toString().contains(b.expectedInError()), r.path("errors").toString());
    }

    @Test
    void kindWithoutAnUpstreamSchemaIsAnError() throws Exception {
        ObjectNode unknown = JSON.createObjectNode().put("apiVersion", "example.com/v1").put("kind", "Widget");
        unknown.putObject("metadata").put("name", "w");
        JsonNode r = validate(List.of(unknown)).get(0);
        assertFalse(r.path("errors").isEmpty(), r.toString());
    }

    private static JsonNode validate(List<ObjectNode> objects) throws Exception {
        ArrayNode array = JSON.createArrayNode();
        objects.forEach(array::add);
        Path in = Files.createTempFile(work, "objects", ".json");
        try {
            JSON.writeValue(in.toFile(), array);
            String out = run(List.of(tool("node"), work.resolve("validate.mjs").toString(), in.toString()), 120);
            return JSON.readTree(out);
        } finally {
            Files.deleteIfExists(in);
        }
    }

    private static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        try {
            Process p = new ProcessBuilder(command).directory(work.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " timed out after " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ": "
                        + Files.readString(err));
            }
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static String tool(String name) {
        String path = find(name);
        if (path != null) {
            return path;
        }
        throw new AssertionError(name + " not found on PATH: Node.js and npm are needed to check the manifests "
                + "against the upstream schemas (or pass -Dk8s.upstream-schemas=skip)");
    }
}
