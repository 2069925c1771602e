import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * segment-service benchmark (not run by ./mvnw verify; see README.md next to it).
 *
 * <ol>
 * <li>defines 20 segments (the seeds' cap): the five templates, 13 rule segments over features,
 *     labels and scores, and 2 predictive segments;</li>
 * <li>membership update per change: writes feature vectors (with labels) and scores records for
 *     {@code subscribers} subscribers straight onto cohort.features.v1 / cohort.scores.v1, waits until
 *     the service applied all of them, and reads the service's own timer
 *     {@code cohort_segment_membership_update_seconds} (time to apply one record: lock the view, store it,
 *     evaluate every active segment, write the outbox, commit) from /q/metrics: p50/p95/p99 over the
 *     last minutes and p99 from the histogram buckets over the whole run;</li>
 * <li>lookups at load: an open-loop generator issues GET /v1/subscribers/{id}/segments and
 *     GET /v1/segments/{id}/members/{sid} at a fixed target rate; latency is measured from the
 *     intended send time (no coordinated omission), so a generator or server that falls behind
 *     shows up in the percentiles.</li>
 * </ol>
 */
public class SegmentBench {

    static String http = "http://localhost:18084";
    static String kafka = "localhost:19092";
    /** A bearer token for segment-service (issue 17: every lookup is verified, as in production). */
    static String token = "";
    static int subscribers = 5000;
    static int[] rates = {1000, 5000};
    static int seconds = 30;
    static int connections = 8;

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--http" -> http = args[i + 1];
                case "--token" -> token = args[i + 1];
                case "--kafka" -> kafka = args[i + 1];
                case "--subscribers" -> subscribers = Integer.parseInt(args[i + 1]);
                case "--rates" -> rates = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--connections" -> connections = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf("segment-service bench: %s, kafka %s, %d subscribers, lookups at %s req/s for %d s each%n",
                http, kafka, subscribers, Arrays.toString(rates), seconds);
        List<String> segments = defineSegments();
        System.out.printf("defined %d segments%n", segments.size());
        updates();
        // settle (autovacuum and checkpoints after the write burst), then an unmeasured warm-up step
        Thread.sleep(15_000);
        int measured = seconds;
        seconds = 10;
        lookups(segments, 500, false);
        seconds = measured;
        for (int rate : rates) {
            lookups(segments, rate, true);
        }
    }

    static List<String> defineSegments() throws Exception {
        List<String> ids = new ArrayList<>();
        for (String template : List.of("engaged-target-account-contacts", "engaged-non-target-contacts",
                "dormant-high-fit-accounts", "decaying-customers", "sunset-candidates")) {
            ids.add(create("{\"template\":\"" + template + "\",\"name\":\"bench " + template + "\"}"));
        }
        String[] rules = {
            "{\"feature\":\"emails_opened_30d\",\"op\":\"gte\",\"value\":1}",
            "{\"feature\":\"emails_clicked_30d\",\"op\":\"gte\",\"value\":1}",
            "{\"feature\":\"orders_90d\",\"op\":\"gte\",\"value\":1}",
            "{\"feature\":\"revenue_365d\",\"op\":\"gt\",\"value\":200}",
            "{\"feature\":\"days_since_last_open\",\"op\":\"gte\",\"value\":60}",
            "{\"feature\":\"rfm_group\",\"op\":\"in\",\"value\":[\"Champions\",\"Loyal\"]}",
            "{\"feature\":\"rfm_group\",\"op\":\"eq\",\"value\":\"At Risk\"}",
            "{\"feature\":\"lifecycle_stage\",\"op\":\"eq\",\"value\":\"customer\"}",
            "{\"all\":[{\"feature\":\"account_tier\",\"op\":\"eq\",\"value\":1},{\"feature\":\"account_target\",\"op\":\"eq\",\"value\":1},{\"feature\":\"engaged_sends_last_5\",\"op\":\"gte\",\"value\":2},{\"feature\":\"account_pricing_intent_30d\",\"op\":\"gte\",\"value\":1}]}",
            "{\"any\":[{\"feature\":\"churn.90d\",\"op\":\"gte\",\"value\":0.8},{\"not\":{\"feature\":\"days_since_last_open\",\"op\":\"exists\"}}]}",
            "{\"event\":\"Email Link Clicked\",\"withinDays\":90,\"op\":\"gte\",\"value\":3}",
            "{\"feature\":\"propensity.clicked_7d\",\"op\":\"between\",\"value\":[0.2,0.6]}",
            "{\"all\":[{\"feature\":\"suppressed\",\"op\":\"eq\",\"value\":0},{\"feature\":\"category_share_90d.shoes\",\"op\":\"gte\",\"value\":0.5}]}"};
        for (int i = 0; i < rules.length; i++) {
            ids.add(create("{\"name\":\"bench rule " + i + "\",\"kind\":\"rule\",\"condition\":" + rules[i]
                    + ",\"actions\":{\"priority\":" + i + ",\"contentKey\":\"c" + i + "\"}}"));
        }
        ids.add(create("{\"name\":\"bench churn risk\",\"kind\":\"predictive\",\"score\":\"churn.90d\",\"threshold\":0.7}"));
        ids.add(create("{\"name\":\"bench top clickers\",\"kind\":\"predictive\",\"score\":\"propensity.clicked_7d\","
                + "\"topPercent\":10}"));
        return ids;
    }

    static String create(String body) throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(http + "/v1/segments"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("create failed " + response.statusCode() + ": " + response.body());
        }
        Matcher m = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(response.body());
        m.find();
        return m.group(1);
    }

    static void updates() throws Exception {
        double before = metric("cohort_segment_membership_update_seconds_count");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        Random random = new Random(42);
        String[] groups = {"Champions", "Loyal", "Potential", "New", "At Risk", "Hibernating", "Lost"};
        long records = 0;
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int version = 1; version <= 2; version++) {
                for (int i = 0; i < subscribers; i++) {
                    String id = String.format("bench-%06d", i);
                    String features = String.format(Locale.ROOT, "{\"emails_opened_30d\":%d,\"emails_clicked_30d\":%d,"
                            + "\"emails_sent_90d\":%d,\"emails_opened_90d\":%d,\"emails_clicked_90d\":%d,"
                            + "\"orders_90d\":%d,\"revenue_365d\":%.2f,\"days_since_last_open\":%d,"
                            + "\"days_since_last_order\":%d,\"engaged_sends_last_5\":%d,"
                            + "\"engagement_decay_slope_8w\":%.3f,\"account_tier\":%d,\"account_target\":%d,"
                            + "\"account_engaged_contacts_30d\":%d,\"account_pricing_intent_30d\":%d,"
                            + "\"category_share_90d.shoes\":%.2f,\"suppressed\":%d}",
                            random.nextInt(6), random.nextInt(3), random.nextInt(12), random.nextInt(8),
                            random.nextInt(4), random.nextInt(3), random.nextDouble() * 800, random.nextInt(120),
                            random.nextInt(400), random.nextInt(6), random.nextGaussian() * 0.2,
                            1 + random.nextInt(3), random.nextInt(2), random.nextInt(4), random.nextInt(3),
                            random.nextDouble(), random.nextInt(20) == 0 ? 1 : 0);
                    String labels = "{\"rfm_group\":\"" + groups[random.nextInt(groups.length)]
                            + "\",\"lifecycle_stage\":\"" + (random.nextBoolean() ? "customer" : "lead")
                            + "\",\"account_id\":\"acct-" + random.nextInt(500) + "\"}";
                    producer.send(new ProducerRecord<>("cohort.features.v1", id, "{\"schemaVersion\":1,\"subscriberId\":\""
                            + id + "\",\"version\":" + version + ",\"computedAt\":\"" + java.time.Instant.now()
                            + "\",\"features\":" + features + ",\"labels\":" + labels + "}"));
                    producer.send(new ProducerRecord<>("cohort.scores.v1", id, String.format(Locale.ROOT,
                            "{\"schemaVersion\":1,\"subscriberId\":\"%s\",\"featureVersion\":%d,\"scoredAt\":\"%s\","
                                    + "\"scores\":{\"churn.90d\":%.4f,\"propensity.clicked_7d\":%.4f,"
                                    + "\"sendtime.hour_of_week\":%d},\"modelVersions\":{},"
                                    + "\"reasons\":{\"churn.90d\":[\"days_since_last_open\",\"emails_opened_30d\"]}}",
                            id, version, java.time.Instant.now(), random.nextDouble(), random.nextDouble(),
                            random.nextInt(168))));
                    records += 2;
                }
            }
            producer.flush();
        }
        double target = before + records;
        double applied;
        while ((applied = metric("cohort_segment_membership_update_seconds_count")) < target) {
            Thread.sleep(500);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        String metrics = get("/q/metrics");
        System.out.printf("%n== membership update per change (inside the service) ==%n");
        System.out.printf("records applied: %.0f in %.1f s (%.0f records/s end to end, one consumer per topic)%n",
                applied - before, elapsed, (applied - before) / elapsed);
        for (String q : List.of("0.5", "0.95", "0.99")) {
            System.out.printf("p%s (recent window): %.2f ms%n", q.equals("0.5") ? "50" : q.substring(2),
                    value(metrics, "cohort_segment_membership_update_seconds{quantile=\"" + q + "\"}") * 1000);
        }
        System.out.printf("p99 (whole run, histogram bucket upper bound): %.2f ms%n", histogramQuantile(metrics, 0.99) * 1000);
        System.out.printf("max: %.2f ms%n", value(metrics, "cohort_segment_membership_update_seconds_max") * 1000);
        // let the outbox relay publish every membership event before measuring lookups
        long drainStart = System.nanoTime();
        double transitions;
        double published;
        do {
            Thread.sleep(500);
            String now = get("/q/metrics");
            transitions = value(now, "cohort_segment_membership_transitions_total{change=\"entered\"}")
                    + value(now, "cohort_segment_membership_transitions_total{change=\"exited\"}");
            published = value(now, "cohort_segment_outbox_published_total");
        } while (published < transitions && System.nanoTime() - drainStart < 300_000_000_000L);
        System.out.printf("membership events published: %.0f of %.0f transitions (outbox drained in %.1f s more)%n",
                published, transitions, (System.nanoTime() - drainStart) / 1e9);
    }

    /**
     * Open loop at {@code rate} req/s over {@code connections} keep-alive connections with HTTP/1.1
     * pipelining: one sender thread writes each request at its intended time (round robin over the
     * connections) without waiting for earlier answers; one reader thread per connection parses the
     * answers in order and records the latency from the intended send time. Two threads plus one
     * per connection, no per-request futures: light enough not to be the bottleneck on 2 cores.
     */
    static void lookups(List<String> segments, int rate, boolean report) throws Exception {
        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(total);
        Random random = new Random(7);
        URI base = URI.create(http);
        List<Pipelined> pipes = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            pipes.add(new Pipelined(base.getHost(), base.getPort(), latencies, errors, done));
        }
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < total; i++) {
            long intended = start + i * interval;
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            String id = String.format("bench-%06d", random.nextInt(subscribers));
            String path = (i & 1) == 0 ? "/v1/subscribers/" + id + "/segments"
                    : "/v1/segments/" + segments.get(random.nextInt(segments.size())) + "/members/" + id;
            pipes.get(i % connections).send(path, i, intended);
        }
        boolean finished = done.await(120, java.util.concurrent.TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        pipes.forEach(Pipelined::close);
        if (!report) {
            return;
        }
        long answered = total - done.getCount();
        Arrays.sort(latencies);
        System.out.printf("%n== lookups at load (open loop, pipelined over %d connections, latency from the intended "
                + "send time) ==%n", connections);
        System.out.printf("target %d req/s for %d s: %d of %d answered in %.1f s = %.0f req/s achieved, %d errors%s%n",
                rate, seconds, answered, total, elapsed, answered / elapsed, errors.get(),
                finished ? "" : " (gave up waiting for the rest)");
        // unanswered requests hold 0 and sort first: count them as worse than every answer
        int offset = (int) (total - answered);
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            int rank = (int) Math.min(total - 1, Math.ceil(q * total) - 1);
            System.out.printf("p%s: %s%n", String.valueOf(q * 100).replace(".0", ""),
                    rank < total - offset ? String.format(Locale.ROOT, "%.2f ms", latencies[rank + offset] / 1e6)
                            : "unanswered");
        }
        System.out.printf("max: %.2f ms%n", latencies[total - 1] / 1e6);
        String metrics = get("/q/metrics");
        System.out.printf("lookups answered from memory so far: %.0f, read through to the database: %.0f%n",
                value(metrics, "cohort_segment_lookups_total{source=\"memory\"}"),
                value(metrics, "cohort_segment_lookups_total{source=\"database\"}"));
    }

    /** One keep-alive connection with pipelined GETs; answers come back in request order. */
    static final class Pipelined {
        private final java.net.Socket socket;
        private final java.io.OutputStream out;
        private final java.io.InputStream in;
        private final java.util.concurrent.ConcurrentLinkedQueue<long[]> waiting =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final String host;
        private final long[] latencies;
        private final AtomicLong errors;
        private final CountDownLatch done;

        Pipelined(String host, int port, long[] latencies, AtomicLong errors, CountDownLatch done) throws IOException {
            this.socket = new java.net.Socket(host, port);
            socket.setTcpNoDelay(true);
            this.out = new java.io.BufferedOutputStream(socket.getOutputStream(), 8192);
            this.in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
            this.host = host + ":" + port;
            this.latencies = latencies;
            this.errors = errors;
            this.done = done;
            Thread reader = new Thread(this::read, "bench-reader");
            reader.setDaemon(true);
            reader.start();
        }

        void send(String path, int index, long intended) throws IOException {
            waiting.add(new long[] {index, intended});
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\n"
                    + "Authorization: Bearer " + token + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
        }

        private void read() {
            try {
                while (true) {
                    String status = line();
                    if (status == null) {
                        return;
                    }
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
                    if (chunked) {
                        long size;
                        while ((size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0) {
                            in.skipNBytes(size);
                            line();
                        }
                        while (!line().isEmpty()) {
                            // trailers
                        }
                    } else if (length > 0) {
                        in.skipNBytes(length);
                    }
                    long[] request = waiting.poll();
                    latencies[(int) request[0]] = System.nanoTime() - request[1];
                    if (!status.startsWith("HTTP/1.1 200")) {
                        errors.incrementAndGet();
                    }
                    done.countDown();
                }
            } catch (IOException | RuntimeException e) {
                // closed at the end of the step
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    int n = line.length();
                    return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
                }
                line.append((char) b);
            }
            return line.length() == 0 ? null : line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    static String get(String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(http + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static double metric(String name) throws Exception {
        return value(get("/q/metrics"), name);
    }

    static double value(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return 0;
    }

    /** The upper bound of the first histogram bucket holding the quantile. */
    static double histogramQuantile(String metrics, double q) {
        double count = value(metrics, "cohort_segment_membership_update_seconds_count");
        Pattern bucket = Pattern.compile("cohort_segment_membership_update_seconds_bucket\\{le=\"([^\"]+)\"\\} (\\S+)");
        for (String line : metrics.split("\n")) {
            Matcher m = bucket.matcher(line);
            if (m.find() && Double.parseDouble(m.group(2)) >= q * count) {
                return m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
            }
        }
        return Double.NaN;
    }
}
