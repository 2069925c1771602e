package io.cohort.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One packaged service ({@code target/quarkus-app/quarkus-run.jar}) running as its own OS process. */
final class ServiceProcess implements AutoCloseable {

    final String name;
    final String module;
    final int port;
    final Path log;
    private final Process process;

    private ServiceProcess(String name, String module, int port, Path log, Process process) {
        this.name = name;
        this.module = module;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** @param instance names the log (the module's name for its first instance) */
    static ServiceProcess start(Path repoRoot, String module, String instance, int port, Map<String, String> config,
            Path logDir) throws IOException {
        Path jar = repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: the e2e module runs after the services are packaged");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.port=" + port));
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        Files.createDirectories(logDir);
        Path log = logDir.resolve(instance + ".log");
        if (Files.exists(log)) {
            // a restarted service keeps the log of its earlier life next to the new one
            Files.move(log, logDir.resolve(instance + "." + System.nanoTime() + ".log"));
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ServiceProcess(instance, module, port, log, process);
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The end of the service's log, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills the process at once (SIGKILL: no shutdown hook, no leaving the consumer group) and waits for it. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** Asks the service to shut down (SIGTERM: Quarkus stops gracefully) without waiting. */
    void requestStop() {
        process.destroy();
    }

    @Override
    public void close() throws InterruptedException {
        requestStop();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
