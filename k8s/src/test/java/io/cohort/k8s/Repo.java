package io.cohort.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/** The source tree as the tests see it: services, their configuration, rendered overlays. */
final class Repo {

    static final List<String> SERVICES = List.of("ingest-service", "feature-service", "model-service",
            "segment-service");
    static final List<String> OVERLAYS = List.of("dev", "prod");

    static {
        if (Boolean.getBoolean("k8s.sync")) {
            GeneratedManifestsTest.syncAll();
        }
    }

    private Repo() {
    }

    static Path root() {
        return Path.of(System.getProperty("cohort.root", "..")).toAbsolutePath().normalize();
    }

    static Path k8s() {
        return root().resolve("k8s");
    }

    static List<ObjectNode> overlay(String name) {
        return Kustomize.render(k8s().resolve("overlays").resolve(name));
    }

    /** The service's application.properties (default profile: keys with a %profile prefix are dropped). */
    static Properties config(String service) {
        Properties all = new Properties();
        try (Reader r = Files.newBufferedReader(
                root().resolve(service).resolve("src/main/resources/application.properties"))) {
            all.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties p = new Properties();
        all.stringPropertyNames().stream().filter(k -> !k.startsWith("%")).forEach(k -> p.setProperty(k, all.getProperty(k)));
        return p;
    }

    static Optional<ObjectNode> find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText()) && name.equals(Kustomize.name(o)))
                .findFirst();
    }

    static ObjectNode get(List<ObjectNode> objects, String kind, String name) {
        return find(objects, kind, name).orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
    }

    static List<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    static String id(JsonNode o) {
        return o.path("apiVersion").asText() + " " + o.path("kind").asText() + "/" + Kustomize.name(o);
    }
}
