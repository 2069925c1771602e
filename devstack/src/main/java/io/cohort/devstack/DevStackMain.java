package io.cohort.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the devstack as a process for {@code ./cohort up}: Kafka on 9092 and PostgreSQL on 55432 by
 * default, the token issuer on a free port unless {@code --issuer-port} names one ({@code ./cohort up}
 * uses 8180; benches take any, so they never clash with it), fresh state on every start (the
 * issuer's signing key is kept in {@code --issuer-key} when given, so tokens printed earlier stay
 * valid). Writes a ready file (with the issuer's URL) once all accept connections and runs until it
 * is stopped (SIGTERM or Ctrl-C), closing them cleanly.
 *
 * <p>Arguments: {@code [--kafka-port N] [--postgres-port N] [--issuer-port N] [--issuer-key PATH]
 * [--ready-file PATH]}.
 */
public final class DevStackMain {

    private DevStackMain() {
    }

    public static void main(String[] args) throws Exception {
        int kafkaPort = 9092;
        int postgresPort = 55432;
        int issuerPort = 0;
        Path issuerKey = null;
        Path readyFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--kafka-port" -> kafkaPort = Integer.parseInt(args[++i]);
                case "--postgres-port" -> postgresPort = Integer.parseInt(args[++i]);
                case "--issuer-port" -> issuerPort = Integer.parseInt(args[++i]);
                case "--issuer-key" -> issuerKey = Path.of(args[++i]);
                case "--ready-file" -> readyFile = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    System.exit(2);
                }
            }
        }
        long started = System.nanoTime();
        DevStack stack = DevStack.start(kafkaPort, postgresPort, issuerPort, issuerKey);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stack.close();
            } catch (Exception e) {
                System.err.println("devstack: error while stopping: " + e.getMessage());
            }
            stopped.countDown();
        }, "devstack-shutdown"));
        System.out.printf("devstack ready in %d ms: kafka %s, postgres %s, token issuer %s%n",
                (System.nanoTime() - started) / 1_000_000, stack.kafkaBootstrapServers(), stack.jdbcUrl(),
                stack.tokens().issuer());
        if (readyFile != null) {
            Files.writeString(readyFile, "kafka=" + stack.kafkaBootstrapServers() + "\njdbc=" + stack.jdbcUrl()
                    + "\nissuer=" + stack.tokens().issuer() + "\n");
        }
        stopped.await();
    }
}
