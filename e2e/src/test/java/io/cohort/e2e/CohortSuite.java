package io.cohort.e2e;

import io.cohort.devstack.DevStack;
import io.cohort.devstack.PostgresServer;
import io.cohort.devstack.sample.CohortClient;
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

    final DevStack stack;
    final List<ServiceProcess> services = new ArrayList<>();
    private final Path root;
    private final Path logs;
    private final Map<String, String> config;
    final CohortClient client;
    /** The write key the suite's client sends to ingest-service, minted through the admin API. */
    String writeKey;

    private CohortSuite(DevStack stack, List<ServiceProcess> started, Path root, Path logs, Map<String, String> config) {
        this.stack = stack;
        this.root = root;
        this.logs = logs;
        this.config = config;
        this.services.addAll(started);
        this.client = new CohortClient(new ServiceUrls(started.get(0).baseUrl(), started.get(1).baseUrl(),
                started.get(2).baseUrl(), started.get(3).baseUrl()));
    }

    static CohortSuite start() throws IOException {
        DevStack stack = DevStack.shared();
        Path root = Path.of(System.getProperty("cohort.repo.root", "..")).toAbsolutePath().normalize();
        Path logs = root.resolve("e2e/target/service-logs");
        String adminToken = java.util.UUID.randomUUID().toString();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < MODULES.size(); i++) {
            ports.add(freePort());
        }
        // the service-to-service calls (training sets, lookalike seeds and scoring) go to the suite's own ports
        Map<String, String> config = Map.of(
                "cohort.ingest.admin-token", adminToken,
                "kafka.bootstrap.servers", stack.kafkaBootstrapServers(),
                "quarkus.datasource.jdbc.url", stack.jdbcUrl(),
                "quarkus.datasource.username", PostgresServer.USER,
                "quarkus.datasource.password", PostgresServer.PASSWORD,
                "cohort.model.feature-service.url", "http://localhost:" + ports.get(1),
                "cohort.model.segment-service.url", "http://localhost:" + ports.get(3),
                "cohort.segment.model-service.url", "http://localhost:" + ports.get(2));
        List<ServiceProcess> started = new ArrayList<>();
        for (int i = 0; i < MODULES.size(); i++) {
            started.add(ServiceProcess.start(root, MODULES.get(i), ports.get(i), moduleConfig(config, MODULES.get(i)), logs));
        }
        CohortSuite suite = new CohortSuite(stack, started, root, logs, config);
        for (ServiceProcess service : started) {
            suite.awaitReady(service);
        }
        suite.writeKey = suite.client.createAndUseWriteKey(adminToken, "e2e");
        return suite;
    }

    /** Each module's consumers join as static members named after it, as a pod's are named after the pod. */
    static String groupInstanceId(String module) {
        return "e2e-" + module;
    }

    private static Map<String, String> moduleConfig(Map<String, String> shared, String module) {
        Map<String, String> config = new java.util.HashMap<>(shared);
        config.put("cohort.kafka.group-instance-id", groupInstanceId(module));
        return config;
    }

    private void awaitReady(ServiceProcess service) {
        Awaitility.await(service.name + " ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .failFast(service.name + " exited:\n" + service.logTail(), () -> !service.isAlive())
                .until(() -> client.isReady(service.baseUrl()));
    }

    /** Kills the module's process without warning (SIGKILL: no shutdown, no leaving its consumer groups). */
    void kill(String module) throws InterruptedException {
        services.get(MODULES.indexOf(module)).kill();
    }

    /** Starts the module again on its port, with its configuration, and waits until it is ready. */
    void restart(String module) throws IOException {
        int index = MODULES.indexOf(module);
        ServiceProcess restarted = ServiceProcess.start(root, module, services.get(index).port,
                moduleConfig(config, module), logs);
        services.set(index, restarted);
        awaitReady(restarted);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        // all at once: each takes a few seconds to leave its consumer groups
        services.forEach(ServiceProcess::requestStop);
        for (ServiceProcess service : services) {
            service.close();
        }
    }
}
