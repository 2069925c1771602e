package io.cohort.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where kubectl is installed, {@code kubectl kustomize} and {@link Kustomize} must render the same
 * objects (the build itself never needs kubectl: elsewhere this test is skipped).
 */
class KubectlParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/prod", "base", "infra", "scaling"})
    void kubectlKustomizeRendersTheSameObjects(String dir) throws Exception {
        String kubectl = findKubectl();
        Assumptions.assumeTrue(kubectl != null, "kubectl not on PATH");
        Path out = Files.createTempFile("kustomize", ".yaml");
        try {
            Process p = new ProcessBuilder(kubectl, "kustomize", Repo.k8s().resolve(dir).toString())
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kubectl kustomize timed out");
            }
            assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + " failed");
            assertEquals(byId(Kustomize.readAll(out)), byId(Kustomize.render(Repo.k8s().resolve(dir))));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Map<String, String> byId(List<ObjectNode> objects) {
        Map<String, String> m = new TreeMap<>();
        for (ObjectNode o : objects) {
            m.put(Repo.id(o) + " ns=" + o.at("/metadata/namespace").asText(), Kustomize.toYaml(List.of(sorted(o))));
        }
        return m;
    }

    /** Same content regardless of key order (kubectl sorts keys, the renderer keeps the source order). */
    private static ObjectNode sorted(ObjectNode o) {
        try {
            var mapper = Kustomize.YAML.copy().configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
            Object plain = mapper.treeToValue(o, Object.class);
            return (ObjectNode) mapper.readTree(mapper.writeValueAsString(plain).getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String findKubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "kubectl");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
