package io.cohort.devstack;

import io.cohort.contracts.Topics;
import java.util.Map;

/**
 * Kafka and PostgreSQL together, with Cohort's topics created. Tests share one instance per JVM
 * ({@link #shared()}), so a test module starts the infrastructure once however many test classes
 * it has; the local run starts one on fixed ports ({@link DevStackMain}).
 */
public final class DevStack implements AutoCloseable {

    /** Partitions per topic locally: more than one, so per-key ordering is really exercised. */
    public static final int PARTITIONS = 3;

    private static DevStack shared;

    private final KafkaBroker kafka;
    private final PostgresServer postgres;

    private DevStack(KafkaBroker kafka, PostgresServer postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
    }

    public static DevStack start(int kafkaPort, int postgresPort) throws Exception {
        PostgresServer postgres = PostgresServer.start(postgresPort, null);
        KafkaBroker kafka;
        try {
            kafka = KafkaBroker.start(kafkaPort, null);
            kafka.createTopics(Topics.ALL, PARTITIONS);
        } catch (Exception e) {
            postgres.close();
            throw e;
        }
        return new DevStack(kafka, postgres);
    }

    /** The JVM-wide instance on free ports, started on first use and stopped when the JVM exits. */
    public static synchronized DevStack shared() {
        if (shared == null) {
            try {
                shared = start(0, 0);
            } catch (Exception e) {
                throw new IllegalStateException("devstack failed to start: " + e.getMessage(), e);
            }
            DevStack started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::closeQuietly, "devstack-shutdown"));
        }
        return shared;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    public int postgresPort() {
        return postgres.port();
    }

    /** The settings a Quarkus service needs to use this stack instead of Dev Services. */
    public Map<String, String> quarkusConfig() {
        return Map.of(
                "kafka.bootstrap.servers", kafkaBootstrapServers(),
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", PostgresServer.USER,
                "quarkus.datasource.password", PostgresServer.PASSWORD);
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception e) {
            System.err.println("devstack: error while stopping: " + e.getMessage());
        }
    }

    @Override
    public void close() throws Exception {
        try {
            kafka.close();
        } finally {
            postgres.close();
        }
    }
}
