package io.cohort.e2e;

import io.cohort.devstack.DevStack;
import io.cohort.devstack.PostgresServer;
import io.cohort.devstack.sample.CohortClient;
import io.cohort.devstack.security.TokenClient;
import io.cohort.devstack.sample.ServiceUrls;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/** The whole suite for a test: one devstack, the four packaged services as processes on free ports. */
final class CohortSuite implements AutoCloseable {

    static final List<String> MODULES = List.of("ingest-service", "feature-service", "model-service", "segment-service");
    /** The modules with a Kafka Streams engine: each instance gets its own state directory and address. */
    static final List<String> STREAMS_MODULES = List.of("feature-service", "segment-service");
    /** Where instances keep their state stores: emptied when a suite starts (a new broker, new state). */
    static final Path STATE = Path.of("target/streams-state").toAbsolutePath();

    final DevStack stack;
    final List<ServiceProcess> services = new ArrayList<>();
    /** Further instances of a module ({@link #startInstance}), by instance name. */
    final Map<String, ServiceProcess> instances = new java.util.LinkedHashMap<>();
    private final Path root;
    private final Path logs;
    private final Map<String, String> config;
    private final Map<String, Map<String, String>> moduleExtras;
    final CohortClient client;
    /** The write key the suite's client sends to ingest-service, minted through the admin API. */
    String writeKey;

    private CohortSuite(DevStack stack, List<ServiceProcess> started, Path root, Path logs, Map<String, String> config,
            Map<String, Map<String, String>> moduleExtras) {
        this.stack = stack;
        this.root = root;
        this.logs = logs;
        this.config = config;
        this.moduleExtras = moduleExtras;
        this.services.addAll(started);
        this.client = new CohortClient(new ServiceUrls(started.get(0).baseUrl(), started.get(1).baseUrl(),
                started.get(2).baseUrl(), started.get(3).baseUrl()));
    }

    static CohortSuite start() throws IOException {
        return start(Map.of());
    }

    /** @param moduleExtras configuration per module on top of the shared one (e.g. an engine switch) */
    static CohortSuite start(Map<String, Map<String, String>> moduleExtras) throws IOException {
        DevStack stack = DevStack.shared();
        deleteState();
        Path root = repoRoot();
        Path logs = logDir();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < MODULES.size(); i++) {
            ports.add(freePort());
        }
        // the service-to-service calls (training sets, lookalike seeds and scoring) go to the suite's own ports
        Map<String, String> config = Map.of(
                "kafka.bootstrap.servers", stack.kafkaBootstrapServers(),
                "quarkus.datasource.jdbc.url", stack.jdbcUrl(),
                "quarkus.datasource.username", PostgresServer.USER,
                "quarkus.datasource.password", PostgresServer.PASSWORD,
                "cohort.model.feature-service.url", "http://localhost:" + ports.get(1),
                "cohort.model.segment-service.url", "http://localhost:" + ports.get(3),
                "cohort.segment.model-service.url", "http://localhost:" + ports.get(2),
                // every service verifies tokens of the devstack's issuer; segment-service gets its own there
                "cohort.security.issuer", stack.tokens().issuer());
        List<ServiceProcess> started = new ArrayList<>();
        for (int i = 0; i < MODULES.size(); i++) {
            String module = MODULES.get(i);
            started.add(ServiceProcess.start(root, module, module, ports.get(i),
                    moduleConfig(config, moduleExtras, module, module, ports.get(i)), logs));
        }
        CohortSuite suite = new CohortSuite(stack, started, root, logs, config, moduleExtras);
        try {
            for (ServiceProcess service : started) {
                suite.awaitReady(service);
            }
            // write keys are managed with a token holding admin (docs/SECURITY.md); the suite's own key
            // is a client key, for tracking calls only
            suite.writeKey = suite.client.createAndUseWriteKey(suite.adminToken(), "e2e");
            // the suite acts as the operator, with a token from the issuer's token endpoint (docs/SECURITY.md)
            suite.client.useBearerToken(new TokenClient(stack.tokens().issuer()).password("operator", "operator", null));
            return suite;
        } catch (RuntimeException e) {
            // the test class never gets the suite to close: stop what was started, or it outlives the build
            try {
                suite.close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    /** A token of the devstack's issuer for the development admin (every scope, among them admin and privacy:write). */
    String adminToken() {
        return new TokenClient(stack.tokens().issuer()).password("admin", "admin", null);
    }

    /** Each module's consumers join as static members named after it, as a pod's are named after the pod. */
    static String groupInstanceId(String module) {
        return "e2e-" + module;
    }

    /**
     * An instance's configuration: the shared one, the module's extras, its own static member name
     * and its own Kafka Streams state directory and address (as each pod has its own).
     */
    private static Map<String, String> moduleConfig(Map<String, String> shared,
            Map<String, Map<String, String>> moduleExtras, String module, String instance, int port) {
        Map<String, String> config = new java.util.HashMap<>(shared);
        config.putAll(moduleExtras.getOrDefault(module, Map.of()));
        config.put("cohort.kafka.group-instance-id", groupInstanceId(instance));
        if (STREAMS_MODULES.contains(module)) {
            config.put("kafka-streams.state.dir", STATE.resolve(instance).toString());
            config.put("quarkus.kafka-streams.application-server", "localhost:" + port);
        }
        return config;
    }

    /**
     * Starts one more instance of a module (its own port, state directory and member name, the
     * module's configuration) and waits until it is ready. Its URL: {@code instances.get(name).baseUrl()}.
     */
    ServiceProcess startInstance(String module, String name) throws IOException {
        int port = freePort();
        ServiceProcess started = ServiceProcess.start(root, module, name, port,
                moduleConfig(config, moduleExtras, module, name, port), logs);
        instances.put(name, started);
        awaitReady(started);
        return started;
    }

    private void awaitReady(ServiceProcess service) {
        Awaitility.await(service.name + " ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .failFast(service.name + " exited:\n" + service.logTail(), () -> !service.isAlive())
                .until(() -> client.isReady(service.baseUrl()));
    }

    /**
     * Kills an instance's process without warning (SIGKILL: no shutdown, no leaving its consumer
     * groups); a module's name is its first instance.
     */
    void kill(String instance) throws InterruptedException {
        find(instance).kill();
    }

    /** Starts the instance again on its port, with its configuration and state, and waits until it is ready. */
    void restart(String instance) throws IOException {
        ServiceProcess old = find(instance);
        ServiceProcess restarted = ServiceProcess.start(root, old.module, instance, old.port,
                moduleConfig(config, moduleExtras, old.module, instance, old.port), logs);
        if (instances.containsKey(instance)) {
            instances.put(instance, restarted);
        } else {
            services.set(MODULES.indexOf(instance), restarted);
        }
        awaitReady(restarted);
    }

    private ServiceProcess find(String instance) {
        return instances.containsKey(instance) ? instances.get(instance) : services.get(MODULES.indexOf(instance));
    }

    private static void deleteState() throws IOException {
        if (java.nio.file.Files.exists(STATE)) {
            try (var paths = java.nio.file.Files.walk(STATE)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
        }
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("cohort.repo.root", "..")).toAbsolutePath().normalize();
    }

    /** Where every service process of the e2e run logs (one file per instance). */
    static Path logDir() {
        return repoRoot().resolve("e2e/target/service-logs");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        // all at once: each takes a few seconds to leave its consumer groups
        services.forEach(ServiceProcess::requestStop);
        instances.values().forEach(ServiceProcess::requestStop);
        for (ServiceProcess service : services) {
            service.close();
        }
        for (ServiceProcess instance : instances.values()) {
            instance.close();
        }
    }
}
