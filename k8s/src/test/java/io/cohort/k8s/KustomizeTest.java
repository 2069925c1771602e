package io.cohort.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The renderer's subset of kustomize, on small kustomizations. */
class KustomizeTest {

    @TempDir
    Path dir;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                    - name: web
                      image: docker.io/acme/web:1.0
                      env:
                        - name: A
                          value: "1"
                      ports:
                        - containerPort: 8080
                          name: http
                    - name: sidecar
                      image: busybox
            """;

    private void write(String file, String content) throws IOException {
        Path p = dir.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void nestedResourcesNamespaceLabelsReplicasAndImages() throws IOException {
        write("base/deployment.yaml", DEPLOYMENT + """
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: shop
                """);
        write("base/kustomization.yaml", "resources:\n  - deployment.yaml\n");
        write("overlay/kustomization.yaml", """
                namespace: shop
                resources:
                  - ../base
                labels:
                  - pairs:
                      env: test
                    includeSelectors: false
                replicas:
                  - name: web
                    count: 3
                images:
                  - name: docker.io/acme/web
                    newName: registry.example.com/web
                    newTag: "2.0"
                """);
        List<ObjectNode> out = Kustomize.render(dir.resolve("overlay"));
        ObjectNode d = out.get(0);
        assertEquals("shop", d.at("/metadata/namespace").asText());
        assertTrue(out.get(1).at("/metadata/namespace").isMissingNode(), "Namespace is cluster-scoped");
        assertEquals("test", d.at("/metadata/labels/env").asText());
        assertTrue(d.at("/spec/selector/matchLabels/env").isMissingNode(), "selectors stay untouched");
        assertEquals(3, d.at("/spec/replicas").asInt());
        assertEquals("registry.example.com/web:2.0", d.at("/spec/template/spec/containers/0/image").asText());
        assertEquals("busybox", d.at("/spec/template/spec/containers/1/image").asText());
    }

    @Test
    void strategicMergeMergesContainersAndEnvByNameAndDeletesWithNull() throws IOException {
        write("deployment.yaml", DEPLOYMENT);
        write("patch.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  template:
                    spec:
                      containers:
                        - name: web
                          env:
                            - name: B
                              value: "2"
                            - name: A
                              value: "10"
                          resources:
                            limits:
                              memory: 1Gi
                        - name: sidecar
                          image: null
                """);
        write("kustomization.yaml", "resources:\n  - deployment.yaml\npatches:\n  - path: patch.yaml\n");
        JsonNode c = Kustomize.render(dir).get(0).at("/spec/template/spec/containers");
        assertEquals(2, c.size());
        assertEquals("docker.io/acme/web:1.0", c.at("/0/image").asText());
        // kustomize's order: the patch's entries first, then the ones it does not mention
        assertEquals("B", c.at("/0/env/0/name").asText());
        assertEquals("A", c.at("/0/env/1/name").asText());
        assertEquals("10", c.at("/0/env/1/value").asText());
        assertEquals("1Gi", c.at("/0/resources/limits/memory").asText());
        assertEquals(8080, c.at("/0/ports/0/containerPort").asInt());
        assertTrue(c.at("/1/image").isMissingNode());
    }

    @Test
    void listsOfCustomResourcesAreReplaced() throws IOException {
        write("topic.yaml", """
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaNodePool
                metadata:
                  name: pool
                spec:
                  replicas: 3
                  roles: [controller, broker]
                  storage:
                    volumes:
                      - id: 0
                        size: 100Gi
                """);
        write("patch.yaml", """
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaNodePool
                metadata:
                  name: pool
                spec:
                  storage:
                    volumes:
                      - id: 0
                        size: 1Gi
                """);
        write("kustomization.yaml", "resources:\n  - topic.yaml\npatches:\n  - path: patch.yaml\n");
        JsonNode spec = Kustomize.render(dir).get(0).get("spec");
        assertEquals(3, spec.get("replicas").asInt());
        assertEquals(2, spec.get("roles").size());
        assertEquals(1, spec.at("/storage/volumes").size());
        assertEquals("1Gi", spec.at("/storage/volumes/0/size").asText());
    }

    @Test
    void fieldsOutsideTheSubsetAndMissingPatchTargetsFail() throws IOException {
        write("a/deployment.yaml", DEPLOYMENT);
        write("a/kustomization.yaml", "resources:\n  - deployment.yaml\nnamePrefix: x-\n");
        assertThrows(IllegalArgumentException.class, () -> Kustomize.render(dir.resolve("a")));

        write("b/deployment.yaml", DEPLOYMENT);
        write("b/patch.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other\n");
        write("b/kustomization.yaml", "resources:\n  - deployment.yaml\npatches:\n  - path: patch.yaml\n");
        assertThrows(IllegalArgumentException.class, () -> Kustomize.render(dir.resolve("b")));

        write("c/deployment.yaml", DEPLOYMENT);
        write("c/kustomization.yaml", "resources:\n  - deployment.yaml\n  - deployment.yaml\n");
        assertThrows(IllegalArgumentException.class, () -> Kustomize.render(dir.resolve("c")));
    }
}
