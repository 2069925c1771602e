import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * feature-service throughput benchmark (JDK source launcher; kafka-clients from devstack's lib).
 *
 * <pre>
 * produce --kafka H:P --topic T --prefix P --events N --subscribers S   write N canonical events
 * raw     --kafka H:P --topic T --events N                              plain KafkaConsumer loop: records/s
 * applied --http URL --events N                                         wait until the service applied N events
 * streamed --http URL --events N                                        the same for the Kafka Streams engine
 * </pre>
 */
public class FeatureBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new java.util.HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        switch (args[0]) {
            case "produce" -> produce(o.get("kafka"), o.get("topic"), o.get("prefix"),
                    Integer.parseInt(o.get("events")), Integer.parseInt(o.getOrDefault("subscribers", "5000")));
            case "raw" -> raw(o.get("kafka"), o.get("topic"), Integer.parseInt(o.get("events")),
                    Integer.parseInt(o.getOrDefault("warmup", "0")));
            case "applied" -> applied(o.get("http"), Integer.parseInt(o.get("events")),
                    Integer.parseInt(o.getOrDefault("warmup", "0")));
            case "streamed" -> streamed(o.get("http"), Integer.parseInt(o.get("events")),
                    Integer.parseInt(o.getOrDefault("warmup", "0")));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static final String[] EVENTS = {"Email Delivered", "Email Delivered", "Email Sent", "Email Opened",
            "Email Opened", "Email Link Clicked", "Product Viewed", "Order Completed", "Page"};

    static void produce(String kafka, String topic, String prefix, int events, int subscribers) throws Exception {
        Properties admin = new Properties();
        admin.put("bootstrap.servers", kafka);
        try (Admin a = Admin.create(admin)) {
            if (!a.listTopics().names().get().contains(topic)) { // the devstack made cohort.* already
                a.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
            }
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        Random random = new Random(42);
        Instant now = Instant.now();
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < events; i++) {
                String user = prefix + "-u" + random.nextInt(subscribers);
                String event = EVENTS[random.nextInt(EVENTS.length)];
                Instant at = now.minusSeconds(random.nextInt(90 * 86_400));
                String campaign = "c" + random.nextInt(50);
                String json;
                if (event.equals("Page")) {
                    json = "{\"schemaVersion\":1,\"messageId\":\"" + UUID.randomUUID() + "\",\"type\":\"page\","
                            + "\"userId\":\"" + user + "\",\"name\":\"" + (random.nextInt(5) == 0 ? "Pricing" : "Home")
                            + "\",\"context\":{\"userAgent\":\"" + (random.nextBoolean() ? "Mozilla/5.0 (iPhone) Mobile"
                            : "Mozilla/5.0 (Windows NT 10.0)") + "\"},\"timestamp\":\"" + at + "\",\"receivedAt\":\""
                            + at + "\"}";
                } else {
                    String properties = switch (event) {
                        case "Order Completed" -> "{\"revenue\":" + (5 + random.nextInt(200))
                                + ",\"products\":[{\"category\":\"cat" + random.nextInt(8) + "\"}]}";
                        case "Product Viewed" -> "{\"category\":\"cat" + random.nextInt(8) + "\"}";
                        case "Email Opened" -> "{\"campaignId\":\"" + campaign + "\",\"machineOpen\":"
                                + (random.nextInt(4) == 0) + "}";
                        default -> "{\"campaignId\":\"" + campaign + "\"}";
                    };
                    json = "{\"schemaVersion\":1,\"messageId\":\"" + UUID.randomUUID() + "\",\"type\":\"track\","
                            + "\"userId\":\"" + user + "\",\"event\":\"" + event + "\",\"properties\":" + properties
                            + ",\"timestamp\":\"" + at + "\",\"receivedAt\":\"" + at + "\"}";
                }
                producer.send(new ProducerRecord<>(topic, user, json));
            }
            producer.flush();
        }
        System.out.printf("produced %d events for %d subscribers on %s in %.1f s%n", events, subscribers, topic,
                (System.nanoTime() - start) / 1e9);
    }

    /** Times the records after the first {@code warmup} ones, as {@link #applied} does for the service. */
    static void raw(String kafka, String topic, int events, int warmup) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-raw-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000"); // as the service (events-in.max.poll.records)
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(topic));
            long count = 0;
            long bytes = 0;
            long first = 0;
            long counted = 0;
            while (count < events) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (first == 0 && !records.isEmpty() && count >= warmup) {
                    first = System.nanoTime();
                }
                for (var r : records) {
                    bytes += r.value().length;
                    count++;
                    if (first != 0) {
                        counted++;
                    }
                }
            }
            double seconds = (System.nanoTime() - first) / 1e9;
            System.out.printf("RAW consumer: %d records (%.1f MB) in %.2f s = %.0f records/s%s%n", counted,
                    bytes / 1e6 * counted / count, seconds, counted / seconds,
                    warmup > 0 ? " (after " + (count - counted) + " warm-up records)" : "");
        }
    }

    private static final Pattern PROCESSED =
            Pattern.compile("cohort_feature_events_total\\{[^}]*outcome=\"processed\"[^}]*\\} ([0-9.eE+]+)");
    private static final Pattern PENDING =
            Pattern.compile("(?m)^cohort_feature_vectors_pending(\\{[^}]*\\})? ([0-9.eE+]+)$");
    private static final Pattern OLDEST_MARK =
            Pattern.compile("(?m)^cohort_feature_vectors_pending_oldest_seconds(\\{[^}]*\\})? ([0-9.eE+]+)$");
    private static final Pattern PUBLISHED =
            Pattern.compile("cohort_feature_vectors_published_total(\\{[^}]*\\})? ([0-9.eE+]+)");

    /**
     * Events/s applied from the moment {@code warmup} events had been applied (the first applied event
     * when 0) to the last: with a warm-up the service's JIT compilation, which on 2 shared cores
     * competes with the consumer, is left out, as in the ingest benchmark.
     */
    static void applied(String http, int events, int warmup) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long first = 0;
        double processed = 0;
        double startProcessed = 0;
        double startPublished = 0;
        double maxWait = 0;
        while (processed < events) {
            String metrics;
            try {
                metrics = client.send(HttpRequest.newBuilder(URI.create(http + "/q/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException e) {
                metrics = ""; // not up yet
            }
            processed = value(PROCESSED, metrics, 1);
            maxWait = Math.max(maxWait, value(OLDEST_MARK, metrics, 2));
            if (first == 0 && processed > 0 && processed >= warmup) {
                first = System.nanoTime();
                startProcessed = warmup > 0 ? processed : 0;
                startPublished = value(PUBLISHED, metrics, 2);
            }
            Thread.sleep(first == 0 ? 50 : 200);
        }
        long end = System.nanoTime();
        double seconds = (end - first) / 1e9;
        String metrics = client.send(HttpRequest.newBuilder(URI.create(http + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double publishedAtEnd = value(PUBLISHED, metrics, 2);
        System.out.printf("APPLIED: %.0f events in %.2f s = %.0f events/s%s (vectors published by then: %.0f)%n",
                processed - startProcessed, seconds, (processed - startProcessed) / seconds,
                warmup > 0 ? " (after " + (long) startProcessed + " warm-up events)" : "", publishedAtEnd);
        // how stale the vectors get: with coalescing the refresh publishes after the apply, so wait until
        // the service's backlog gauge (read every cohort.feature.backlog.every, run.sh: 500ms) shows no
        // subscriber still waiting; the first second only lets the gauge catch up with the last poll
        Thread.sleep(1000);
        double pending;
        do {
            metrics = client.send(HttpRequest.newBuilder(URI.create(http + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            pending = value(PENDING, metrics, 2);
            maxWait = Math.max(maxWait, value(OLDEST_MARK, metrics, 2));
            if (pending > 0) {
                Thread.sleep(200);
            }
        } while (pending > 0 && System.nanoTime() - end < 300_000_000_000L);
        System.out.printf("VECTORS: %.0f published; backlog %s %.1f s after the last event was applied; longest wait"
                        + " of a marked subscriber seen: %.1f s%n", value(PUBLISHED, metrics, 2),
                pending > 0 ? "still " + (long) pending + " subscribers" : "drained", (System.nanoTime() - end) / 1e9,
                maxWait);
        // where the time went: the service's per-phase timers (seconds summed over all polls)
        Matcher phase = PHASE.matcher(metrics);
        java.util.Map<String, double[]> phases = new java.util.TreeMap<>();
        while (phase.find()) {
            double[] v = phases.computeIfAbsent(phase.group(2), k -> new double[2]);
            v[phase.group(1).equals("sum") ? 0 : 1] = Double.parseDouble(phase.group(3));
        }
        phases.forEach((name, v) -> System.out.printf("  phase %-16s %8.2f s in %6.0f runs = %7.2f ms each%n", name,
                v[0], v[1], v[1] == 0 ? 0 : 1000 * v[0] / v[1]));
    }

    private static final Pattern STREAMED =
            Pattern.compile("cohort_feature_streams_events_total\\{[^}]*outcome=\"processed\"[^}]*\\} ([0-9.eE+]+)");
    private static final Pattern STREAM_VECTORS =
            Pattern.compile("cohort_feature_streams_vectors_total\\{[^}]*outcome=\"published\"[^}]*\\} ([0-9.eE+]+)");
    private static final Pattern COALESCING_P99 = Pattern.compile(
            "cohort_feature_streams_coalescing_delay_seconds\\{[^}]*quantile=\"0.99\"[^}]*\\} ([0-9.eE+]+)");

    /**
     * The streams engine's events/s, timed as {@link #applied} (from the warm-up mark to the last
     * event folded into the state stores), then the vectors published once the count stops growing.
     */
    static void streamed(String http, int events, int warmup) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long first = 0;
        double processed = 0;
        double startProcessed = 0;
        String metrics = "";
        while (processed < events) {
            try {
                metrics = client.send(HttpRequest.newBuilder(URI.create(http + "/q/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException e) {
                metrics = ""; // not up yet
            }
            processed = value(STREAMED, metrics, 1);
            if (first == 0 && processed > 0 && processed >= warmup) {
                first = System.nanoTime();
                startProcessed = warmup > 0 ? processed : 0;
            }
            Thread.sleep(first == 0 ? 50 : 200);
        }
        double seconds = (System.nanoTime() - first) / 1e9;
        System.out.printf("STREAMED: %.0f events in %.2f s = %.0f events/s%s%n", processed - startProcessed, seconds,
                (processed - startProcessed) / seconds,
                warmup > 0 ? " (after " + (long) startProcessed + " warm-up events)" : "");
        double published;
        double before = -1;
        while ((published = value(STREAM_VECTORS, metrics, 1)) != before) {
            before = published;
            Thread.sleep(1000);
            metrics = client.send(HttpRequest.newBuilder(URI.create(http + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        System.out.printf("VECTORS: %.0f published; coalescing delay p99 %.2f s%n", published,
                value(COALESCING_P99, metrics, 1));
    }

    private static final Pattern PHASE = Pattern.compile(
            "cohort_feature_apply_phase_seconds_(sum|count)\\{[^}]*phase=\"([^\"]+)\"[^}]*\\} ([0-9.eE+]+)");

    private static double value(Pattern pattern, String metrics, int group) {
        Matcher m = pattern.matcher(metrics);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(group));
        }
        return sum;
    }
}
