package io.cohort.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the devstack as a process for {@code ./cohort up}: Kafka on 9092 and PostgreSQL on 55432 by
 * default, fresh state on every start. Writes a ready file once both accept connections and runs
 * until it is stopped (SIGTERM or Ctrl-C), closing both cleanly.
 *
 * <p>Arguments: {@code [--kafka-port N] [--postgres-port N] [--ready-file PATH]}.
 */
public final class DevStackMain {

    private DevStackMain() {
    }

    public static void main(String[] args) throws Exception {
        int kafkaPort = 9092;
        int postgresPort = 55432;
        Path readyFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--kafka-port" -> kafkaPort = Integer.parseInt(args[++i]);
                case "--postgres-port" -> postgresPort = Integer.parseInt(args[++i]);
                case "--ready-file" -> readyFile = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    System.exit(2);
                }
            }
        }
        long started = System.nanoTime();
        DevStack stack = DevStack.start(kafkaPort, postgresPort);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stack.close();
            } catch (Exception e) {
                System.err.println("devstack: error while stopping: " + e.getMessage());
            }
            stopped.countDown();
        }, "devstack-shutdown"));
        System.out.printf("devstack ready in %d ms: kafka %s, postgres %s%n",
                (System.nanoTime() - started) / 1_000_000, stack.kafkaBootstrapServers(), stack.jdbcUrl());
        if (readyFile != null) {
            Files.writeString(readyFile, "kafka=" + stack.kafkaBootstrapServers() + "\njdbc=" + stack.jdbcUrl() + "\n");
        }
        stopped.await();
    }
}
