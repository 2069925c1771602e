import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * End-to-end benchmark of the live path (not run by ./mvnw verify; see README.md next to it):
 * ingest-service -> feature-service -> model-service -> segment-service, all running.
 *
 * <ul>
 * <li>load: an open-loop generator sends realistic calls (email sends, deliveries, opens, clicks,
 *     product and page views, orders) for {@code --subscribers} subscribers through POST /v1/batch
 *     at a fixed rate in batches of {@code --batch}, on kept-alive HTTP/1.1 sockets written by hand
 *     (as bench/ingest-service's --client raw). Each batch has an intended send time on a fixed
 *     schedule; a batch that waits for a free connection is late, and its latency counts from the
 *     intended time (no coordinated omission);</li>
 * <li>probes: at {@code --probe-rate} per second a fresh subscriber sends one human "Email Opened"
 *     from the time zone only probes use, which makes it enter the probe segment. Measured from the
 *     probe's intended send time (wall clock, same machine): (a) the CreateTime of its
 *     {@code entered} record on cohort.segment-membership.v1, (b) the first
 *     GET /v1/subscribers/{id}/segments that lists the probe segment;</li>
 * <li>per rate step: consumer lag of each service's group when the load stops and after the drain,
 *     and the CPU seconds per event of each process (from /proc, over load + drain).</li>
 * </ul>
 */
public class PipelineBench {

    static String ingest = "http://localhost:38081";
    static String segment = "http://localhost:38084";
    static String kafka = "localhost:39092";
    static String writeKey;
    static String probeSegment;
    /** A bearer token for segment-service's probes (issue 17: verified on every lookup). */
    static String token = "";
    static int[] rates = {500, 2000, 5000, 10000};
    static int seconds = 60;
    static int warmupSeconds = 20;
    static int subscribers = 100_000;
    static int segments = 50;
    static double probeRate = 5;
    static int batch = 100;
    static int connections = 8;
    static int probeTimeoutSeconds = 60;
    static int drainSeconds = 120;
    static long clockTicks = 100;
    static final Map<String, Long> PROCESSES = new LinkedHashMap<>();

    /** Only probes report from here; the load never uses it, so the probe segment holds probes only. */
    static final String PROBE_TIMEZONE = "Pacific/Chatham";
    static final String[] TIMEZONES = {"Europe/Paris", "Europe/Berlin", "America/New_York", "America/Chicago",
        "Europe/London", "Asia/Tokyo"};
    static final String[] CAMPAIGNS = {"spring-sale", "welcome-3", "newsletter-42", "winback-7", "product-launch"};
    static final String[] CATEGORIES = {"shoes", "bags", "outdoor", "kids", "home"};
    static final String[] PAGES = {"/pricing", "/", "/blog/spring-trends", "/collections/new", "/account"};
    static List<String> GROUPS = List.of("feature-service", "model-service", "segment-service");
    static Map<String, List<String>> GROUP_TOPICS = Map.of(
            "feature-service", List.of("cohort.events.v1"),
            "model-service", List.of("cohort.features.v1"),
            "segment-service", List.of("cohort.features.v1", "cohort.scores.v1", "cohort.events.v1"));

    /**
     * The groups of the streams engines: feature-service's SmallRye consumer keeps writing the
     * history; the hot path is each Kafka Streams application (its application id is its group).
     */
    static void streamsEngines() {
        GROUPS = List.of("feature-service", "feature-service-features", "model-service", "segment-service",
                "segment-service-memberships");
        GROUP_TOPICS = Map.of(
                "feature-service", List.of("cohort.events.v1"),
                "feature-service-features", List.of("cohort.events.v1"),
                "model-service", List.of("cohort.features.v1"),
                "segment-service", List.of("cohort.events.v1"),
                "segment-service-memberships", List.of("cohort.features.v1", "cohort.scores.v1"));
    }

    static String auth;
    static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    static final Map<String, Probe> PROBES = new ConcurrentHashMap<>();
    static final ConcurrentLinkedQueue<Probe> NEW_PROBES = new ConcurrentLinkedQueue<>();
    static final AtomicLong PROBE_SEQ = new AtomicLong();
    static volatile boolean running = true;

    public static void main(String[] args) throws Exception {
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--ingest" -> ingest = args[i + 1];
                case "--segment" -> segment = args[i + 1];
                case "--token" -> token = args[i + 1];
                case "--kafka" -> kafka = args[i + 1];
                case "--key" -> writeKey = args[i + 1];
                case "--probe-segment" -> probeSegment = args[i + 1];
                case "--rates" -> rates = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmupSeconds = Integer.parseInt(args[i + 1]);
                case "--subscribers" -> subscribers = Integer.parseInt(args[i + 1]);
                case "--segments" -> segments = Integer.parseInt(args[i + 1]);
                case "--probe-rate" -> probeRate = Double.parseDouble(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--connections" -> connections = Integer.parseInt(args[i + 1]);
                case "--probe-timeout" -> probeTimeoutSeconds = Integer.parseInt(args[i + 1]);
                case "--drain" -> drainSeconds = Integer.parseInt(args[i + 1]);
                case "--clock-ticks" -> clockTicks = Long.parseLong(args[i + 1]);
                case "--engine" -> {
                    if ("streams".equals(args[i + 1])) {
                        streamsEngines();
                    }
                }
                case "--pids" -> {
                    for (String entry : args[i + 1].split(",")) {
                        String[] nameAndPid = entry.split("=", 2);
                        PROCESSES.put(nameAndPid[0], Long.parseLong(nameAndPid[1]));
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (writeKey == null || probeSegment == null) {
            throw new IllegalArgumentException("--key and --probe-segment are required");
        }
        PROCESSES.put("generator", ProcessHandle.current().pid());
        auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        System.out.printf("pipeline bench: ingest %s, segment %s, kafka %s; %d subscribers, %d segments, batches of %d on"
                + " %d connections; probes %.1f/s (timeout %d s); steps %s events/s x %d s after a %d s warm-up%n",
                ingest, segment, kafka, subscribers, segments, batch, connections, probeRate, probeTimeoutSeconds,
                Arrays.toString(rates), seconds, warmupSeconds);

        CountDownLatch positioned = new CountDownLatch(1);
        Thread membership = new Thread(() -> consumeMemberships(positioned), "membership-consumer");
        membership.setDaemon(true);
        membership.start();
        positioned.await();
        Thread lookups = new Thread(PipelineBench::pollLookups, "lookup-poller");
        lookups.setDaemon(true);
        lookups.start();

        List<String> summary = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            if (warmupSeconds > 0) {
                System.out.printf("%n== warm-up: %d events/s for %d s (not reported; JIT, connection pools)%n",
                        rates[0], warmupSeconds);
                Load warm = load(rates[0], warmupSeconds, false);
                System.out.printf("warm-up: %d events sent, %d failed batches%n", warm.events, warm.failedBatches);
                long warmEnd = System.nanoTime();
                Map<String, Map<String, Long>> left = drain(admin, List.of(), warmEnd);
                System.out.printf("lag after %.0f s of drain: %s%n", (System.nanoTime() - warmEnd) / 1e9, describe(left));
            }
            for (int rate : rates) {
                summary.add(step(admin, rate));
            }
        }
        running = false;
        System.out.printf("%n== summary (latency from the probe's intended send; > T = not arrived within the %d s timeout)%n",
                probeTimeoutSeconds);
        System.out.println("| events/s (achieved) | to membership event p50 / p95 / p99 / max | to lookup p50 / p95 / p99 / max"
                + " | missing (event, lookup) | lag at load end (" + String.join(", ", GROUPS) + ") | CPU µs per event ("
                + String.join(", ", PROCESSES.keySet()) + ") |");
        summary.forEach(System.out::println);
    }

    // ---------------------------------------------------------------------------------------------
    // one rate step

    static String step(Admin admin, int rate) throws Exception {
        System.out.printf("%n== %d events/s for %d s, probes %.1f/s%n", rate, seconds, probeRate);
        Map<String, Double> cpuBefore = cpu();
        long startNanos = System.nanoTime();
        Load load = load(rate, seconds, true);
        long loadEnd = System.nanoTime();
        Map<String, Map<String, Long>> lagAtLoadEnd = lag(admin);
        System.out.printf("load: %d events in %.1f s (%.0f/s achieved), %d failed batches; batch latency from intended send"
                + " p50 %s, p99 %s, max %s%n", load.events, load.sendSeconds, load.events / load.sendSeconds,
                load.failedBatches, ms(percentile(load.latencies, 0.50)), ms(percentile(load.latencies, 0.99)),
                ms(percentile(load.latencies, 1.0)));
        System.out.println("lag when the load stopped: " + describe(lagAtLoadEnd));
        Map<String, Map<String, Long>> lagAfterDrain = drain(admin, load.probes, loadEnd);
        double drainedSeconds = (System.nanoTime() - loadEnd) / 1e9;
        Map<String, Double> cpuAfter = cpu();
        double wall = (System.nanoTime() - startNanos) / 1e9;

        long[] toEvent = new long[load.probes.size()];
        long[] toLookup = new long[load.probes.size()];
        int missingEvent = 0;
        int missingLookup = 0;
        long failedProbes = 0;
        for (int i = 0; i < load.probes.size(); i++) {
            Probe probe = load.probes.get(i);
            failedProbes += probe.failed ? 1 : 0;
            toEvent[i] = probe.toEventMs >= 0 ? probe.toEventMs : Long.MAX_VALUE;
            toLookup[i] = probe.toLookupMs >= 0 ? probe.toLookupMs : Long.MAX_VALUE;
            missingEvent += probe.toEventMs >= 0 ? 0 : 1;
            missingLookup += probe.toLookupMs >= 0 ? 0 : 1;
        }
        Arrays.sort(toEvent);
        Arrays.sort(toLookup);
        String eventFigures = percentiles(toEvent);
        String lookupFigures = percentiles(toLookup);
        System.out.printf("probes: %d sent (%d ingest calls failed); ingest call p50 %s, p99 %s%n", load.probes.size(),
                failedProbes, ms(percentile(load.probeCallLatencies, 0.50)), ms(percentile(load.probeCallLatencies, 0.99)));
        System.out.printf("  to 'entered' on cohort.segment-membership.v1: %s; %d not within %d s%n", eventFigures,
                missingEvent, probeTimeoutSeconds);
        System.out.printf("  to GET /v1/subscribers/{id}/segments:          %s; %d not within %d s%n", lookupFigures,
                missingLookup, probeTimeoutSeconds);
        System.out.printf("lag after %.0f s of drain: %s%n", drainedSeconds, describe(lagAfterDrain));
        boolean drained = total(lagAfterDrain) == 0;
        StringBuilder cpuLine = new StringBuilder();
        StringBuilder cpuCells = new StringBuilder();
        double cpuTotal = 0;
        for (String name : PROCESSES.keySet()) {
            double used = cpuAfter.getOrDefault(name, 0.0) - cpuBefore.getOrDefault(name, 0.0);
            cpuTotal += used;
            cpuLine.append(String.format(Locale.ROOT, "%s %.1f s (%.0f µs/event), ", name, used, used * 1e6 / load.events));
            cpuCells.append(cpuCells.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", used * 1e6 / load.events));
        }
        System.out.printf("CPU over load + drain (%.0f s wall, %.0f CPU s = %.2f of 2 cores%s): %stotal %.0f µs/event%n",
                wall, cpuTotal, cpuTotal / wall / 2, drained ? "" : "; lag left, so per-event costs are low",
                cpuLine, cpuTotal * 1e6 / load.events);
        return String.format(Locale.ROOT, "| %d (%.0f) | %s | %s | %d, %d of %d | %s | %s%s |", rate,
                load.events / load.sendSeconds, eventFigures, lookupFigures, missingEvent, missingLookup, load.probes.size(),
                GROUPS.stream().map(g -> Long.toString(lagAtLoadEnd.getOrDefault(g, Map.of()).values().stream()
                        .mapToLong(Long::longValue).sum())).collect(Collectors.joining(", ")),
                cpuCells, drained ? "" : " (lag left after drain)");
    }

    /** Waits until every probe arrived or timed out and the groups have no lag (at most --drain s more). */
    static Map<String, Map<String, Long>> drain(Admin admin, List<Probe> probes, long loadEnd) throws Exception {
        long probeDeadline = loadEnd + Duration.ofSeconds(probeTimeoutSeconds + 1).toNanos();
        long lagDeadline = loadEnd + Duration.ofSeconds(drainSeconds).toNanos();
        while (true) {
            boolean probesDone = probes.stream().allMatch(p -> p.failed || (p.toEventMs >= 0 && p.toLookupMs >= 0))
                    || System.nanoTime() > probeDeadline;
            Map<String, Map<String, Long>> lag = lag(admin);
            if (probesDone && (total(lag) == 0 || System.nanoTime() > lagDeadline)) {
                return lag;
            }
            Thread.sleep(1000);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // load and probes

    static final class Load {
        long events;
        long failedBatches;
        double sendSeconds;
        long[] latencies;
        long[] probeCallLatencies;
        final List<Probe> probes = new ArrayList<>();
    }

    static final class Probe {
        final String subscriberId;
        final long intendedNanos;
        final long intendedEpochMs;
        volatile long toEventMs = -1;
        volatile long toLookupMs = -1;
        volatile boolean failed;
        long nextPollNanos;

        Probe(String subscriberId, long intendedNanos, long intendedEpochMs) {
            this.subscriberId = subscriberId;
            this.intendedNanos = intendedNanos;
            this.intendedEpochMs = intendedEpochMs;
        }
    }

    /**
     * Sends {@code rate} events/s for {@code duration} s: a scheduler hands intended send times to
     * the connection threads; a slot taken late keeps its intended time, so the latency shows it.
     */
    static Load load(int rate, int duration, boolean withProbes) throws Exception {
        long intervalNanos = Math.round(batch * 1e9 / rate);
        long slots = Math.max(1, (long) rate * duration / batch);
        BlockingQueue<Long> due = new ArrayBlockingQueue<>((int) Math.min(slots + connections, 1_000_000));
        long[] latencies = new long[(int) slots];
        AtomicLong nextLatency = new AtomicLong();
        AtomicLong events = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        // wall clock at a nanoTime instant: a probe's intended send in epoch ms, comparable with record timestamps
        long epochBaseMs = System.currentTimeMillis();
        long epochBaseNanos = System.nanoTime();
        long start = epochBaseNanos + 50_000_000L;
        List<Thread> senders = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread sender = new Thread(() -> {
                SplittableRandom random = new SplittableRandom();
                try (KeepAliveConnection connection = new KeepAliveConnection(URI.create(ingest))) {
                    while (true) {
                        long intended = due.take();
                        if (intended < 0) {
                            return;
                        }
                        byte[] body = batchBody(random, batch);
                        int status = connection.post("/v1/batch", body);
                        latencies[(int) nextLatency.getAndIncrement()] = System.nanoTime() - intended;
                        if (status == 200) {
                            events.addAndGet(batch);
                        } else if (failed.getAndIncrement() == 0) {
                            System.out.println("first failed batch: HTTP " + status + ": " + connection.lastBody());
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "sender-" + c);
            sender.start();
            senders.add(sender);
        }
        Load result = new Load();
        List<Long> probeCalls = new ArrayList<>();
        Thread prober = null;
        if (withProbes && probeRate > 0) {
            long probeInterval = Math.round(1e9 / probeRate);
            long probeCount = Math.max(1, Math.round(duration * probeRate));
            prober = new Thread(() -> {
                try (KeepAliveConnection connection = new KeepAliveConnection(URI.create(ingest))) {
                    for (long n = 0; n < probeCount; n++) {
                        long intended = start + n * probeInterval;
                        sleepUntil(intended);
                        String id = "probe-" + RUN + "-" + PROBE_SEQ.incrementAndGet();
                        Probe probe = new Probe(id, intended, epochBaseMs + (intended - epochBaseNanos) / 1_000_000L);
                        PROBES.put(id, probe);
                        result.probes.add(probe);
                        NEW_PROBES.add(probe);
                        int status = connection.post("/v1/batch", probeBody(id));
                        probeCalls.add(System.nanoTime() - intended);
                        if (status != 200) {
                            probe.failed = true;
                            System.out.println("probe call failed: HTTP " + status + ": " + connection.lastBody());
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "prober");
            prober.start();
        }
        for (long s = 0; s < slots; s++) {
            long intended = start + s * intervalNanos;
            sleepUntil(intended);
            due.put(intended);
        }
        for (int c = 0; c < connections; c++) {
            due.put(-1L);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        if (prober != null) {
            prober.join();
        }
        result.sendSeconds = (System.nanoTime() - start) / 1e9;
        result.events = events.get();
        result.failedBatches = failed.get();
        result.latencies = Arrays.copyOf(latencies, (int) nextLatency.get());
        Arrays.sort(result.latencies);
        result.probeCallLatencies = probeCalls.stream().mapToLong(Long::longValue).sorted().toArray();
        return result;
    }

    static void sleepUntil(long nanos) {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    static byte[] batchBody(SplittableRandom random, int size) {
        StringBuilder body = new StringBuilder(size * 520).append("{\"batch\":[");
        String now = Instant.now().toString();
        for (int i = 0; i < size; i++) {
            body.append(i == 0 ? "" : ",");
            call(random, body, now);
        }
        return body.append("],\"sentAt\":\"").append(now).append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * One call of a campaign-heavy mix: sends and deliveries dominate, then opens (a quarter of them
     * machine opens), clicks, product and page views, a few orders; live, so timestamped now.
     */
    static void call(SplittableRandom random, StringBuilder out, String now) {
        String user = "bench-u-" + random.nextInt(subscribers);
        String campaign = CAMPAIGNS[random.nextInt(CAMPAIGNS.length)];
        out.append("{\"messageId\":\"").append(UUID.randomUUID()).append("\",\"userId\":\"").append(user)
                .append("\",\"timestamp\":\"").append(now).append("\",");
        int kind = random.nextInt(100);
        if (kind < 30) {
            track(out, "Email Sent", "{\"campaign_id\":\"" + campaign + "\",\"email_id\":\"" + campaign + "-" + user + "\"}");
        } else if (kind < 58) {
            track(out, "Email Delivered", "{\"campaign_id\":\"" + campaign + "\",\"email_id\":\"" + campaign + "-" + user + "\"}");
        } else if (kind < 78) {
            track(out, "Email Opened", "{\"campaign_id\":\"" + campaign + "\",\"email_id\":\"" + campaign + "-" + user
                    + "\",\"machineOpen\":" + (random.nextInt(4) == 0) + "}");
        } else if (kind < 83) {
            track(out, "Email Link Clicked", "{\"campaign_id\":\"" + campaign + "\",\"email_id\":\"" + campaign + "-" + user
                    + "\",\"link_url\":\"https://shop.example/collections/spring\"}");
        } else if (kind < 91) {
            track(out, "Product Viewed", "{\"product_id\":\"sku-" + random.nextInt(5000) + "\",\"category\":\""
                    + CATEGORIES[random.nextInt(CATEGORIES.length)] + "\",\"price\":" + (10 + random.nextInt(190))
                    + ".99,\"currency\":\"EUR\"}");
        } else if (kind < 98) {
            String path = PAGES[random.nextInt(PAGES.length)];
            out.append("\"type\":\"page\",\"name\":\"").append(path).append("\",\"properties\":{\"url\":\"https://shop.example")
                    .append(path).append("\",\"path\":\"").append(path).append("\"},");
        } else {
            track(out, "Order Completed", "{\"order_id\":\"" + UUID.randomUUID() + "\",\"revenue\":" + (20 + random.nextInt(300))
                    + ".5,\"currency\":\"EUR\",\"products\":[{\"product_id\":\"sku-" + random.nextInt(5000)
                    + "\",\"category\":\"" + CATEGORIES[random.nextInt(CATEGORIES.length)] + "\",\"price\":49.9,\"quantity\":1}]}");
        }
        out.append("\"context\":{\"library\":{\"name\":\"analytics-java\",\"version\":\"3.5.1\"},\"userAgent\":\"")
                .append(random.nextBoolean() ? "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
                        : "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0")
                .append("\",\"ip\":\"203.0.113.").append(random.nextInt(255)).append("\",\"timezone\":\"")
                .append(TIMEZONES[random.nextInt(TIMEZONES.length)]).append("\"}}");
    }

    static void track(StringBuilder out, String event, String properties) {
        out.append("\"type\":\"track\",\"event\":\"").append(event).append("\",\"properties\":").append(properties).append(",");
    }

    /** A fresh subscriber's first call: a human open from the probes' own time zone. */
    static byte[] probeBody(String id) {
        String now = Instant.now().toString();
        return ("{\"batch\":[{\"messageId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + id + "\",\"timestamp\":\"" + now
                + "\",\"type\":\"track\",\"event\":\"Email Opened\",\"properties\":{\"campaign_id\":\"probe\",\"email_id\":\"probe-"
                + id + "\",\"machineOpen\":false},\"context\":{\"library\":{\"name\":\"analytics-java\",\"version\":\"3.5.1\"},"
                + "\"timezone\":\"" + PROBE_TIMEZONE + "\"}}],\"sentAt\":\"" + now + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------------
    // the two arrivals a probe waits for

    static final Pattern SEGMENT_ID = Pattern.compile("\"segmentId\"\\s*:\\s*\"([^\"]*)\"");
    static final Pattern CHANGE = Pattern.compile("\"change\"\\s*:\\s*\"([^\"]*)\"");

    /** Reads every partition of the membership topic from its end; a probe's entered record stops its clock. */
    static void consumeMemberships(CountDownLatch positioned) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        // what a downstream consumer can see: the streams engine writes in transactions, visible once committed
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor("cohort.segment-membership.v1").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned.countDown();
            String prefix = "probe-" + RUN + "-";
            while (running) {
                var polled = consumer.poll(Duration.ofMillis(100));
                // when the record reached us: Kafka Streams stamps its output with the input record's
                // time, not the time it produced it, so the record timestamp would understate the latency
                long receivedMs = System.currentTimeMillis();
                for (ConsumerRecord<String, String> record : polled) {
                    if (record.key() == null || !record.key().startsWith(prefix)) {
                        continue;
                    }
                    Probe probe = PROBES.get(record.key());
                    Matcher segmentId = SEGMENT_ID.matcher(record.value());
                    Matcher change = CHANGE.matcher(record.value());
                    if (probe != null && probe.toEventMs < 0 && segmentId.find() && probeSegment.equals(segmentId.group(1))
                            && change.find() && "entered".equals(change.group(1))) {
                        long latency = receivedMs - probe.intendedEpochMs;
                        if (latency <= probeTimeoutSeconds * 1000L) {
                            probe.toEventMs = latency;
                        }
                    }
                }
            }
        }
    }

    /**
     * Asks the lookup API for every waiting probe, each every 20 ms until 400 ms old, then every 5 %
     * of its age (the reading's resolution stays within 5 % of the latency while the request rate
     * stays bounded when hundreds of probes wait).
     */
    static void pollLookups() {
        List<Probe> waiting = new ArrayList<>();
        String needle = "\"segmentId\":\"" + probeSegment + "\"";
        try (KeepAliveConnection connection = new KeepAliveConnection(URI.create(segment))) {
            while (running) {
                Probe added;
                while ((added = NEW_PROBES.poll()) != null) {
                    added.nextPollNanos = added.intendedNanos;
                    waiting.add(added);
                }
                long earliest = System.nanoTime() + 5_000_000L;
                for (int i = waiting.size() - 1; i >= 0; i--) {
                    Probe probe = waiting.get(i);
                    long now = System.nanoTime();
                    long age = now - probe.intendedNanos;
                    if (probe.failed || age > Duration.ofSeconds(probeTimeoutSeconds).toNanos()) {
                        waiting.remove(i);
                        continue;
                    }
                    if (probe.nextPollNanos > now) {
                        earliest = Math.min(earliest, probe.nextPollNanos);
                        continue;
                    }
                    int status = connection.get("/v1/subscribers/" + probe.subscriberId + "/segments");
                    long seen = System.nanoTime();
                    if (status == 200 && connection.lastBody().contains(needle)) {
                        probe.toLookupMs = (seen - probe.intendedNanos) / 1_000_000L;
                        waiting.remove(i);
                    } else {
                        probe.nextPollNanos = seen + Math.max(20_000_000L, age / 20);
                        earliest = Math.min(earliest, probe.nextPollNanos);
                    }
                }
                sleepUntil(earliest);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // consumer lag and CPU

    /** Per group and topic: end offsets minus the group's committed offsets (log start where none yet). */
    static Map<String, Map<String, Long>> lag(Admin admin) throws Exception {
        Set<String> topics = new HashSet<>();
        GROUP_TOPICS.values().forEach(topics::addAll);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, description) ->
                description.partitions().forEach(p -> {
                    latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest());
                    earliest.put(new TopicPartition(name, p.partition()), OffsetSpec.earliest());
                }));
        var ends = admin.listOffsets(latest).all().get();
        var starts = admin.listOffsets(earliest).all().get();
        Map<String, Map<String, Long>> lag = new LinkedHashMap<>();
        for (String group : GROUPS) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<String, Long> perTopic = new LinkedHashMap<>();
            for (String topic : GROUP_TOPICS.get(group)) {
                long sum = 0;
                for (var end : ends.entrySet()) {
                    if (!end.getKey().topic().equals(topic)) {
                        continue;
                    }
                    OffsetAndMetadata offset = committed.get(end.getKey());
                    long position = offset != null ? offset.offset() : starts.get(end.getKey()).offset();
                    sum += Math.max(0, end.getValue().offset() - position);
                }
                perTopic.put(topic.replace("cohort.", "").replace(".v1", ""), sum);
            }
            lag.put(group, perTopic);
        }
        return lag;
    }

    static long total(Map<String, Map<String, Long>> lag) {
        return lag.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    }

    static String describe(Map<String, Map<String, Long>> lag) {
        return lag.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().entrySet().stream()
                .map(t -> t.getKey() + " " + t.getValue()).collect(Collectors.joining(", ", "(", ")")))
                .collect(Collectors.joining("; "));
    }

    /**
     * CPU seconds (user + system, of the process and its descendants, exited ones included through
     * cutime/cstime) per named process. A named process met inside another's tree counts only once,
     * under its own name.
     */
    static Map<String, Double> cpu() {
        Set<Long> roots = new HashSet<>(PROCESSES.values());
        Map<String, Double> seconds = new LinkedHashMap<>();
        PROCESSES.forEach((name, root) -> {
            long ticks = 0;
            List<Long> pending = new ArrayList<>(List.of(root));
            while (!pending.isEmpty()) {
                long pid = pending.remove(pending.size() - 1);
                ticks += ticks(pid);
                for (long child : children(pid)) {
                    if (!roots.contains(child)) {
                        pending.add(child);
                    }
                }
            }
            seconds.put(name, (double) ticks / clockTicks);
        });
        return seconds;
    }

    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14-17 of /proc/PID/stat: utime, stime, cutime, cstime (here counted from field 3)
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    static List<Long> children(long pid) {
        List<Long> children = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                for (String child : Files.readString(task.resolve("children")).trim().split("\\s+")) {
                    if (!child.isEmpty()) {
                        children.add(Long.parseLong(child));
                    }
                }
            }
        } catch (IOException | RuntimeException gone) {
            // exited meanwhile
        }
        return children;
    }

    // ---------------------------------------------------------------------------------------------
    // figures

    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static String ms(long nanos) {
        return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    /** p50 / p95 / p99 / max of millisecond latencies, Long.MAX_VALUE standing for "did not arrive". */
    static String percentiles(long[] sortedMs) {
        if (sortedMs.length == 0) {
            return "no probes";
        }
        return Arrays.stream(new double[] {0.50, 0.95, 0.99, 1.0}).mapToObj(p -> {
            long v = percentile(sortedMs, p);
            return v == Long.MAX_VALUE ? "> " + probeTimeoutSeconds + " s"
                    : v >= 1000 ? String.format(Locale.ROOT, "%.2f s", v / 1000.0) : v + " ms";
        }).collect(Collectors.joining(" / "));
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * One HTTP/1.1 connection kept alive across requests (as in bench/ingest-service/IngestBench):
     * writes the request in one buffer, reads the status line, headers and a Content-Length or
     * chunked body.
     */
    static final class KeepAliveConnection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final String host;
        private String lastBody = "";

        KeepAliveConnection(URI url) throws IOException {
            this.socket = new Socket(url.getHost(), url.getPort());
            this.socket.setTcpNoDelay(true);
            this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            this.host = url.getHost() + ":" + url.getPort();
        }

        int post(String path, byte[] body) throws IOException {
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + "Authorization: " + auth + "\r\nContent-Length: " + body.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return answer();
        }

        int get(String path) throws IOException {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\n"
                    + "Authorization: Bearer " + token + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return answer();
        }

        private int answer() throws IOException {
            int status = Integer.parseInt(line().split(" ", 3)[1]);
            long length = -1;
            boolean chunked = false;
            String header;
            while (!(header = line()).isEmpty()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            if (chunked) {
                long size;
                while ((size = Long.parseLong(line().split(";", 2)[0].trim(), 16)) > 0) {
                    answer.write(in.readNBytes((int) size));
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                answer.write(in.readNBytes((int) length));
            } else {
                throw new IOException("answer without Content-Length or chunked encoding");
            }
            lastBody = answer.toString(StandardCharsets.UTF_8);
            return status;
        }

        String lastBody() {
            return lastBody;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
