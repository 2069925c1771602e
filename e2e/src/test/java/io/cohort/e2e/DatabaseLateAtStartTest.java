package io.cohort.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.devstack.DevStack;
import io.cohort.devstack.PostgresServer;
import io.cohort.devstack.sample.CohortClient;
import io.cohort.devstack.sample.ServiceUrls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: a service started while its PostgreSQL is not up yet (a cluster starting together, a
 * database failover) waits for it instead of failing its start and crash-looping: Flyway retries the
 * connection, and the service becomes ready once the database arrives.
 */
class DatabaseLateAtStartTest {

    private static final List<String> MODULES = CohortSuite.MODULES;

    @Test
    void servicesStartedBeforeTheirDatabaseWaitForItAndBecomeReady() throws Exception {
        int databasePort = CohortSuite.freePort();
        Map<String, String> config = Map.of(
                "kafka.bootstrap.servers", DevStack.shared().kafkaBootstrapServers(),
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + databasePort + "/" + PostgresServer.DATABASE,
                "quarkus.datasource.username", PostgresServer.USER,
                "quarkus.datasource.password", PostgresServer.PASSWORD,
                "cohort.security.issuer", DevStack.shared().tokens().issuer());
        List<ServiceProcess> services = new ArrayList<>();
        try {
            for (String module : MODULES) {
                services.add(ServiceProcess.start(CohortSuite.repoRoot(), module, module + "-db-late",
                        CohortSuite.freePort(), config, CohortSuite.logDir()));
            }
            CohortClient client = new CohortClient(new ServiceUrls("", "", "", ""));
            // for longer than a start without retries takes to fail (it fails at the first connection), every
            // service stays alive and not ready
            Awaitility.await("services waiting for their database").during(Duration.ofSeconds(15))
                    .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1))
                    .failFast("a service gave up while the database was away",
                            () -> services.stream().anyMatch(s -> !s.isAlive()))
                    .until(() -> services.stream().noneMatch(s -> client.isReady(s.baseUrl())));
            for (ServiceProcess service : services) {
                assertTrue(service.isAlive(), service.name + " gave up while the database was away:\n" + service.logTail());
                assertFalse(client.isReady(service.baseUrl()), service.name + " ready without a database");
            }
            try (PostgresServer database = PostgresServer.start(databasePort, null)) {
                for (ServiceProcess service : services) {
                    Awaitility.await(service.name + " ready once the database is up").atMost(Duration.ofMinutes(2))
                            .pollInterval(Duration.ofMillis(500))
                            .failFast(service.name + " exited:\n" + service.logTail(), () -> !service.isAlive())
                            .until(() -> client.isReady(service.baseUrl()));
                }
                services.forEach(ServiceProcess::requestStop);
                for (ServiceProcess service : services) {
                    service.close();
                }
            }
        } finally {
            for (ServiceProcess service : services) {
                service.close();
            }
        }
    }
}
