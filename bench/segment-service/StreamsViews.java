import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * segment-service's streams engine alone (issue 16: ≥ 10,000 views/s evaluated against 50 segments;
 * not run by ./mvnw verify; see README.md next to it).
 *
 * <ol>
 * <li>defines {@code --segments} active segments (the five templates, then rule segments over
 *     engagement, commerce, RFM and account features with rising thresholds);</li>
 * <li>writes {@code --subscribers} × {@code --versions} feature vectors (with labels) straight onto
 *     cohort.features.v1 as fast as the producer goes, while the service runs;</li>
 * <li>views/s: the records the Kafka Streams application {@code segment-service-memberships}
 *     committed (its group's offsets, read through the Admin API every 200 ms) over the time from the
 *     first record written until the group caught up with the end of the topic; each view is
 *     evaluated against every active segment. Two phases: every subscriber's first vector (most
 *     segments entered at once), then the updates (versions 2..V);</li>
 * <li>the raw consumer on the same records in the same run, for reference: one KafkaConsumer (byte
 *     arrays, no parsing) reading the topic from the start.</li>
 * </ol>
 */
public class StreamsViews {

    static String http = "http://localhost:18084";
    static String kafka = "localhost:19092";
    /** A bearer token for segment-service (issue 17). */
    static String token = "";
    static int subscribers = 100_000;
    static int versions = 2;
    static int segments = 50;
    /** open: each update is one more open (crosses a few thresholds); quiet: a feature no segment reads changes. */
    static String updates = "open";
    static final String TOPIC = "cohort.features.v1";
    static final String GROUP = "segment-service-memberships";
    static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--http" -> http = args[i + 1];
                case "--token" -> token = args[i + 1];
                case "--kafka" -> kafka = args[i + 1];
                case "--subscribers" -> subscribers = Integer.parseInt(args[i + 1]);
                case "--versions" -> versions = Integer.parseInt(args[i + 1]);
                case "--segments" -> segments = Integer.parseInt(args[i + 1]);
                case "--updates" -> updates = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf("segment-service streams engine: %d subscribers x %d vectors, %d segments%n",
                subscribers, versions, segments);
        defineSegments();
        // the registry refreshes every second; give it two before the first record
        Thread.sleep(2_000);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            // first vectors (every subscriber new: most transitions), then updates of known subscribers
            phase(admin, "first vectors", 1, 1);
            if (versions > 1) {
                phase(admin, "updated vectors", 2, versions);
            }
            System.out.printf(Locale.ROOT, "raw consumer on the same topic: %.0f records/s%n",
                    rawConsumerRate(endOffsets(admin)));
        }
    }

    static void phase(Admin admin, String name, int fromVersion, int toVersion) throws Exception {
        long before = committed(admin);
        long eventsBefore = endOffsets(admin, "cohort.segment-membership.v1");
        long start = System.nanoTime();
        long written = produce(fromVersion, toVersion);
        double producedAfter = (System.nanoTime() - start) / 1e9;
        long end = endOffsets(admin);
        long done;
        while ((done = committed(admin)) < end) {
            Thread.sleep(200);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long events = endOffsets(admin, "cohort.segment-membership.v1") - eventsBefore;
        System.out.printf(Locale.ROOT, "%s: %d written in %.1f s, all committed by the engine %.1f s after the first:"
                + " %.0f views/s against %d segments, %d membership events (%.1f per view)%n", name, written,
                producedAfter, seconds, (done - before) / seconds, segments, events, events / (double) written);
    }

    static void defineSegments() throws Exception {
        int defined = 0;
        for (String template : List.of("engaged-target-account-contacts", "engaged-non-target-contacts",
                "dormant-high-fit-accounts", "decaying-customers", "sunset-candidates")) {
            if (defined++ < segments) {
                create("{\"template\":\"" + template + "\",\"name\":\"streams bench " + template + "\"}");
            }
        }
        String[] features = {"emails_opened_30d", "emails_clicked_30d", "emails_sent_90d", "orders_90d",
            "revenue_365d", "days_since_last_open", "engaged_sends_last_5", "account_engaged_contacts_30d"};
        for (int n = 0; defined < segments; n++, defined++) {
            String feature = features[n % features.length];
            int threshold = 1 + n / features.length;
            String condition = n % 5 == 4
                    ? "{\"all\":[{\"feature\":\"" + feature + "\",\"op\":\"gte\",\"value\":" + threshold
                            + "},{\"feature\":\"rfm_group\",\"op\":\"in\",\"value\":[\"Champions\",\"Loyal\"]}]}"
                    : "{\"feature\":\"" + feature + "\",\"op\":\"gte\",\"value\":" + threshold + "}";
            create("{\"name\":\"streams bench rule " + n + "\",\"kind\":\"rule\",\"condition\":" + condition + "}");
        }
        System.out.printf("defined %d segments%n", defined);
    }

    static void create(String body) throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(http + "/v1/segments"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("create failed " + response.statusCode() + ": " + response.body());
        }
    }

    static long produce(int fromVersion, int toVersion) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        String[] groups = {"Champions", "Loyal", "Potential", "New", "At Risk", "Hibernating", "Lost"};
        long written = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int version = fromVersion; version <= toVersion; version++) {
                for (int i = 0; i < subscribers; i++) {
                    // the same base per subscriber in every version; each later version is one more open
                    // today (what a campaign's opens do to a vector), so updates cross a few thresholds only
                    Random random = new Random(i);
                    int step = "quiet".equals(updates) ? 0 : version - 1;
                    int opens = random.nextInt(6) + step;
                    String id = String.format("sv-%s-%07d", RUN, i);
                    String features = String.format(Locale.ROOT, "{\"emails_opened_30d\":%d,\"emails_clicked_30d\":%d,"
                            + "\"emails_sent_90d\":%d,\"orders_90d\":%d,\"revenue_365d\":%.2f,"
                            + "\"days_since_last_open\":%d,\"engaged_sends_last_5\":%d,\"account_tier\":%d,"
                            + "\"account_target\":%d,\"account_engaged_contacts_30d\":%d,"
                            + "\"account_pricing_intent_30d\":%d,\"suppressed\":0,\"page_views_30d\":%d}",
                            opens, random.nextInt(3), random.nextInt(12) + step, random.nextInt(3),
                            random.nextDouble() * 800, step > 0 ? 0 : random.nextInt(120),
                            Math.min(5, random.nextInt(6) + step), 1 + random.nextInt(3), random.nextInt(2),
                            random.nextInt(4), random.nextInt(3), version);
                    String labels = "{\"rfm_group\":\"" + groups[random.nextInt(groups.length)]
                            + "\",\"lifecycle_stage\":\"" + (random.nextBoolean() ? "customer" : "lead") + "\"}";
                    producer.send(new ProducerRecord<>(TOPIC, id, "{\"schemaVersion\":1,\"subscriberId\":\"" + id
                            + "\",\"version\":" + version + ",\"computedAt\":\"" + Instant.now() + "\",\"features\":"
                            + features + ",\"labels\":" + labels + "}"));
                    written++;
                }
            }
            producer.flush();
        }
        return written;
    }

    static long committed(Admin admin) throws Exception {
        return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(e -> e.getKey().topic().equals(TOPIC) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    static long endOffsets(Admin admin) throws Exception {
        return endOffsets(admin, TOPIC);
    }

    static long endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().values().stream().mapToLong(r -> r.offset()).sum();
    }

    /** One consumer, byte arrays, from the start to the given end: the most a client reads here. */
    static double rawConsumerRate(long end) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "raw-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        long read = 0;
        long start = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(TOPIC));
            while (read < end) {
                read += consumer.poll(Duration.ofMillis(500)).count();
            }
        }
        return read / ((System.nanoTime() - start) / 1e9);
    }
}
