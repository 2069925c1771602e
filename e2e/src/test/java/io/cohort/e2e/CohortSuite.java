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
    final CohortClient client;
    /** The write key the suite's client sends to ingest-service, minted through the admin API. */
    String writeKey;

    private CohortSuite(DevStack stack, List<ServiceProcess> started) {
        this.stack = stack;
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
            started.add(ServiceProcess.start(root, MODULES.get(i), ports.get(i), config, logs));
        }
        CohortSuite suite = new CohortSuite(stack, started);
        for (ServiceProcess service : started) {
            Awaitility.await(service.name + " ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .failFast(service.name + " exited:\n" + service.logTail(), () -> !service.isAlive())
                    .until(() -> suite.client.isReady(service.baseUrl()));
        }
        suite.writeKey = suite.client.createAndUseWriteKey(adminToken, "e2e");
        return suite;
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
