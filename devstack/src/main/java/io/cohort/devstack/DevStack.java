package io.cohort.devstack;

import io.cohort.contracts.Topics;
import java.nio.file.Path;
import java.util.Map;

/**
 * Kafka and PostgreSQL together, with Cohort's topics created, and the local OAuth2/OIDC token
 * issuer the services verify bearer tokens against (security is never switched off, issue 17). Tests share one instance per JVM
 * ({@link #shared()}), so a test module starts the infrastructure once however many test classes
 * it has; the local run starts one on fixed ports ({@link DevStackMain}).
 */
public final class DevStack implements AutoCloseable {

    /** Partitions per topic locally: more than one, so per-key ordering is really exercised. */
    public static final int PARTITIONS = 3;

    private static final long KAFKA_CLOSE_TIMEOUT_MS = 10_000;

    private static DevStack shared;

    private final KafkaBroker kafka;
    private final PostgresServer postgres;
    private final TokenIssuer tokens;
    private boolean closed;

    private DevStack(KafkaBroker kafka, PostgresServer postgres, TokenIssuer tokens) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.tokens = tokens;
    }

    /** On these ports (0: any free one), with an issuer whose signing key lives only as long as it. */
    public static DevStack start(int kafkaPort, int postgresPort) throws Exception {
        return start(kafkaPort, postgresPort, 0, null);
    }

    /**
     * @param issuerKey where the issuer keeps its signing key (tokens minted before a restart stay
     *                  valid); null for a throwaway key
     */
    public static DevStack start(int kafkaPort, int postgresPort, int issuerPort, Path issuerKey) throws Exception {
        TokenIssuer tokens = TokenIssuer.start(issuerPort, issuerKey);
        PostgresServer postgres;
        try {
            postgres = PostgresServer.start(postgresPort, null);
        } catch (Exception e) {
            tokens.close();
            throw e;
        }
        KafkaBroker kafka;
        try {
            kafka = KafkaBroker.start(kafkaPort, null);
            kafka.createTopics(Topics.ALL, PARTITIONS);
        } catch (Exception e) {
            postgres.close();
            tokens.close();
            throw e;
        }
        return new DevStack(kafka, postgres, tokens);
    }

    /**
     * The JVM-wide instance on free ports, started on first use. Test JVMs stop it when the JUnit
     * session ends ({@link DevStackSessionListener}); a shutdown hook covers every other exit.
     */
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

    /** Stops the shared instance if one was started; safe to call more than once. */
    public static synchronized void stopShared() {
        if (shared != null) {
            shared.closeQuietly();
        }
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

    /** The local token issuer: its URL for the services, tokens for tests ({@link TokenIssuer#mint}). */
    public TokenIssuer tokens() {
        return tokens;
    }

    /**
     * The settings a Quarkus service needs to use this stack instead of Dev Services. The services
     * verify tokens from {@code cohort.security.issuer} (docs/SECURITY.md) and their OIDC clients
     * get theirs there too.
     */
    public Map<String, String> quarkusConfig() {
        return Map.of(
                "kafka.bootstrap.servers", kafkaBootstrapServers(),
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", PostgresServer.USER,
                "quarkus.datasource.password", PostgresServer.PASSWORD,
                "cohort.security.issuer", tokens.issuer());
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception e) {
            System.err.println("devstack: error while stopping: " + e.getMessage());
        }
    }

    /**
     * Stops PostgreSQL first (its server is a separate OS process that would outlive the JVM),
     * then the broker, waiting at most {@link #KAFKA_CLOSE_TIMEOUT_MS}: a KRaft node's shutdown
     * can stall on its controller, and a test JVM must still exit promptly (surefire allows a
     * forked JVM 30 s to exit after the tests).
     */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        tokens.close();
        try {
            postgres.close();
        } finally {
            Thread closer = new Thread(() -> {
                try {
                    kafka.close();
                } catch (Exception e) {
                    System.err.println("devstack: error while stopping kafka: " + e.getMessage());
                }
            }, "devstack-kafka-close");
            closer.setDaemon(true);
            closer.start();
            closer.join(KAFKA_CLOSE_TIMEOUT_MS);
            if (closer.isAlive()) {
                System.err.println("devstack: kafka did not stop within " + KAFKA_CLOSE_TIMEOUT_MS + " ms; leaving it to JVM exit");
            }
        }
    }
}
