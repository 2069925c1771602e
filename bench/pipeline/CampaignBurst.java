import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The campaign burst of issue 16 (not run by ./mvnw verify; started by run.sh with MODE=burst):
 * one "Email Sent" for each of {@code --subscribers} (1,000,000) new subscribers through ingest's
 * {@code /v1/batch}, as fast as ingest accepts them, while the suite keeps its segments live. A
 * segment "sent in the last 7 days" (defined here, on top of run.sh's) must then hold every one of
 * them: the clock stops when its entered event of the last subscriber is on
 * {@code cohort.segment-membership.v1} (read committed), and the figure is the time from the last
 * accepted send to that moment (goal: within 5 minutes). Meanwhile the lag of the feature and
 * segment groups is sampled every second, so the report also says when each stage caught up.
 */
public class CampaignBurst {

    static String ingest;
    static String segment;
    /** A bearer token for segment-service (issue 17). */
    static String token = "";
    static String kafka;
    static String writeKey;
    static String engine = "streams";
    static int subscribers = 1_000_000;
    static int batch = 500;
    static int connections = 4;
    static int timeoutMinutes = 60;
    static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    static final Pattern SEGMENT_ID = Pattern.compile("\"segmentId\"\\s*:\\s*\"([^\"]*)\"");
    static final Pattern CHANGE = Pattern.compile("\"change\"\\s*:\\s*\"([^\"]*)\"");
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--ingest" -> ingest = args[i + 1];
                case "--segment" -> segment = args[i + 1];
                case "--token" -> token = args[i + 1];
                case "--kafka" -> kafka = args[i + 1];
                case "--key" -> writeKey = args[i + 1];
                case "--engine" -> engine = args[i + 1];
                case "--subscribers" -> subscribers = Integer.parseInt(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--connections" -> connections = Integer.parseInt(args[i + 1]);
                case "--timeout-minutes" -> timeoutMinutes = Integer.parseInt(args[i + 1]);
                default -> { } // run.sh passes the pipeline's options too
            }
        }
        String counted = createSegment();
        System.out.printf("campaign burst: %d subscribers, batches of %d on %d connections, engine %s, counting segment %s%n",
                subscribers, batch, connections, engine, counted);
        Thread.sleep(2_000); // the definition reaches every instance's registry
        BitSet entered = new BitSet(subscribers);
        AtomicLong lastEnteredMs = new AtomicLong();
        Thread memberships = new Thread(() -> countEntered(counted, entered, lastEnteredMs), "memberships");
        memberships.setDaemon(true);
        memberships.start();
        Thread.sleep(1_000);

        long start = System.currentTimeMillis();
        long lastAccepted = send();
        System.out.printf(Locale.ROOT, "sent %d events in %.1f s (%.0f events/s accepted by ingest)%n", subscribers,
                (lastAccepted - start) / 1000.0, subscribers * 1000.0 / (lastAccepted - start));

        Map<String, Long> caughtUp = new HashMap<>();
        long deadline = lastAccepted + Duration.ofMinutes(timeoutMinutes).toMillis();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            while (cardinality(entered) < subscribers && System.currentTimeMillis() < deadline) {
                for (Map.Entry<String, List<String>> group : groups().entrySet()) {
                    if (!caughtUp.containsKey(group.getKey()) && lag(admin, group.getKey(), group.getValue()) == 0) {
                        caughtUp.put(group.getKey(), System.currentTimeMillis());
                    }
                }
                Thread.sleep(1_000);
            }
        }
        int reflected = cardinality(entered);
        caughtUp.forEach((group, at) -> System.out.printf(Locale.ROOT, "group %s caught up %.1f s after the last send%n",
                group, (at - lastAccepted) / 1000.0));
        if (reflected < subscribers) {
            System.out.printf("NOT reflected: %d of %d subscribers entered within %d minutes of the last send%n",
                    reflected, subscribers, timeoutMinutes);
        } else {
            System.out.printf(Locale.ROOT, "all %d subscribers in the segment %.1f s after the last send (goal: 300 s)%n",
                    subscribers, (lastEnteredMs.get() - lastAccepted) / 1000.0);
        }
    }

    static String createSegment() throws Exception {
        String body = "{\"name\":\"burst sent 7d " + RUN + "\",\"kind\":\"rule\",\"condition\":"
                + "{\"feature\":\"emails_sent_7d\",\"op\":\"gte\",\"value\":1}}";
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(segment + "/v1/segments"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(response.body());
        if (response.statusCode() != 201 || !id.find()) {
            throw new IllegalStateException("segment not created: " + response.statusCode() + " " + response.body());
        }
        return id.group(1);
    }

    /** Sends every batch (closed loop on {@code connections} threads, retrying 429/503); returns when the last was accepted. */
    static long send() throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong last = new AtomicLong();
        String auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        List<Thread> senders = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread sender = new Thread(() -> {
                int from;
                while ((from = next.getAndAdd(batch)) < subscribers) {
                    byte[] body = batchBody(from, Math.min(subscribers, from + batch));
                    for (int attempt = 0; ; attempt++) {
                        try {
                            HttpResponse<Void> response = CLIENT.send(HttpRequest.newBuilder(URI.create(ingest + "/v1/batch"))
                                    .header("Content-Type", "application/json").header("Authorization", auth)
                                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                    HttpResponse.BodyHandlers.discarding());
                            if (response.statusCode() == 200) {
                                last.accumulateAndGet(System.currentTimeMillis(), Math::max);
                                break;
                            }
                            if (response.statusCode() != 429 && response.statusCode() != 503) {
                                throw new IllegalStateException("batch refused: " + response.statusCode());
                            }
                        } catch (java.io.IOException e) {
                            if (attempt > 20) {
                                throw new IllegalStateException(e);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        try {
                            Thread.sleep(Math.min(2_000, 50L << Math.min(attempt, 5)));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }, "sender-" + c);
            sender.start();
            senders.add(sender);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        return last.get();
    }

    static byte[] batchBody(int from, int to) {
        String now = Instant.now().toString();
        StringBuilder body = new StringBuilder((to - from) * 330).append("{\"batch\":[");
        for (int i = from; i < to; i++) {
            String user = "burst-" + RUN + "-" + i;
            body.append(i == from ? "" : ",").append("{\"messageId\":\"").append(UUID.randomUUID())
                    .append("\",\"userId\":\"").append(user).append("\",\"timestamp\":\"").append(now)
                    .append("\",\"type\":\"track\",\"event\":\"Email Sent\",\"properties\":{\"campaign_id\":\"burst-")
                    .append(RUN).append("\",\"email_id\":\"burst-").append(user)
                    .append("\"},\"context\":{\"library\":{\"name\":\"analytics-java\",\"version\":\"3.5.1\"}}}");
        }
        return body.append("],\"sentAt\":\"").append(now).append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Marks each subscriber whose entered event of the counting segment is on the membership topic. */
    static void countEntered(String segmentId, BitSet entered, AtomicLong lastEnteredMs) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        String prefix = "burst-" + RUN + "-";
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor("cohort.segment-membership.v1").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (true) {
                var polled = consumer.poll(Duration.ofMillis(200));
                long receivedMs = System.currentTimeMillis();
                for (ConsumerRecord<String, String> record : polled) {
                    if (record.key() == null || !record.key().startsWith(prefix) || record.value() == null) {
                        continue;
                    }
                    Matcher id = SEGMENT_ID.matcher(record.value());
                    Matcher change = CHANGE.matcher(record.value());
                    if (id.find() && segmentId.equals(id.group(1)) && change.find() && "entered".equals(change.group(1))) {
                        synchronized (entered) {
                            entered.set(Integer.parseInt(record.key().substring(prefix.length())));
                        }
                        lastEnteredMs.set(receivedMs);
                    }
                }
            }
        }
    }

    static int cardinality(BitSet entered) {
        synchronized (entered) {
            return entered.cardinality();
        }
    }

    /** The groups whose catching up is reported: the hot path of each engine. */
    static Map<String, List<String>> groups() {
        return "streams".equals(engine)
                ? Map.of("feature-service-features", List.of("cohort.events.v1"),
                        "segment-service-memberships", List.of("cohort.features.v1"))
                : Map.of("feature-service", List.of("cohort.events.v1"),
                        "segment-service", List.of("cohort.features.v1"));
    }

    static long lag(Admin admin, String group, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(Set.copyOf(topics)).allTopicNames().get().forEach((name, description) ->
                description.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        var ends = admin.listOffsets(latest).all().get();
        var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        long lag = 0;
        for (var end : ends.entrySet()) {
            var offset = committed.get(end.getKey());
            lag += Math.max(0, end.getValue().offset() - (offset == null ? 0 : offset.offset()));
        }
        return lag;
    }
}
