import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * model-service's feature consumer alone (bench/model-service/scoring.sh). Subcommands:
 * <pre>
 * produce --kafka H:P --subscribers S --rounds R --first-version V   R vectors per subscriber, versions V.., on cohort.features.v1
 * applied --http URL --until N                                       wait until the consumer has taken N records in all
 * timed --kafka H:P --http URL --subscribers S --rounds R --first-version V
 *                                                                    produce as above and time the consumer taking them: records/s
 * </pre>
 * Vectors look like feature-service's: 48 numeric features (the clustering's six among them).
 */
public class ScoringBench {

    private static final String[] NAMES = {"emails_delivered_30d", "emails_opened_30d", "emails_clicked_30d",
            "days_since_last_open", "orders_90d", "revenue_90d", "emails_delivered_7d", "emails_opened_7d",
            "emails_clicked_7d", "emails_delivered_90d", "emails_opened_90d", "emails_clicked_90d",
            "emails_sent_30d", "emails_bounced_30d", "emails_replied_30d", "open_rate_30d", "click_rate_30d",
            "click_to_open_rate_30d", "days_since_last_click", "days_since_last_order", "orders_30d",
            "orders_365d", "revenue_30d", "revenue_365d", "average_order_value_365d", "page_views_7d",
            "page_views_30d", "product_views_30d", "pricing_page_views_30d", "mobile_share_30d",
            "desktop_share_30d", "engaged_sends_last_5", "engagement_decay_slope", "rfm_recency_days",
            "rfm_frequency", "rfm_monetary", "rfm_r_score", "rfm_f_score", "rfm_m_score", "tenure_days",
            "suppressed", "email_consent", "account_contacts", "account_engaged_contacts_30d",
            "account_intent_signals_30d", "account_revenue_365d", "hour_of_week_engagement.12",
            "hour_of_week_engagement.40"};

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        switch (args[0]) {
            case "produce" -> produce(o.get("kafka"), Integer.parseInt(o.get("subscribers")),
                    Integer.parseInt(o.get("rounds")), Long.parseLong(o.get("first-version")));
            case "applied" -> applied(o.get("http"), Long.parseLong(o.get("until")));
            case "timed" -> timed(o.get("kafka"), o.get("http"), Integer.parseInt(o.get("subscribers")),
                    Integer.parseInt(o.get("rounds")), Long.parseLong(o.get("first-version")));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void produce(String kafka, int subscribers, int rounds, long firstVersion) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        Random random = new Random(firstVersion);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int round = 0; round < rounds; round++) {
                String computedAt = Instant.now().toString();
                for (int s = 0; s < subscribers; s++) {
                    String id = "bench-s" + s;
                    StringBuilder json = new StringBuilder(1200).append("{\"schemaVersion\":1,\"subscriberId\":\"")
                            .append(id).append("\",\"version\":").append(firstVersion + round)
                            .append(",\"computedAt\":\"").append(computedAt).append("\",\"features\":{");
                    for (int f = 0; f < NAMES.length; f++) {
                        double value = f < 6 ? random.nextInt(8 * (s % 5 + 1)) : random.nextInt(50) / 2.0;
                        json.append(f == 0 ? "" : ",").append('"').append(NAMES[f]).append("\":").append(value);
                    }
                    producer.send(new ProducerRecord<>("cohort.features.v1", id, json.append("}}").toString()));
                }
            }
        }
        System.out.printf("PRODUCED: %d vectors (%d subscribers x %d versions from %d)%n",
                (long) subscribers * rounds, subscribers, rounds, firstVersion);
    }

    private static final Pattern TAKEN = Pattern.compile(
            "(?m)^cohort_model_features_total\\{[^}]*outcome=\"(stored|current|stale|superseded|suppressed)\"[^}]*\\} ([0-9.eE+]+)$");

    static void applied(String http, long until) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        while (taken(client, http) < until) {
            Thread.sleep(100);
        }
    }

    /** Reads how many records the consumer took so far, produces, and times it taking the new ones. */
    static void timed(String kafka, String http, int subscribers, int rounds, long firstVersion) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        double start = taken(client, http);
        long records = (long) subscribers * rounds;
        long began = System.nanoTime();
        produce(kafka, subscribers, rounds, firstVersion);
        double now = start;
        while (now < start + records) {
            Thread.sleep(50);
            now = taken(client, http);
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        System.out.printf(Locale.ROOT, "APPLIED: %.0f records in %.2f s (from the first send) = %.0f records/s%n",
                now - start, seconds, (now - start) / seconds);
    }

    private static double taken(HttpClient client, String http) throws Exception {
        String metrics = client.send(HttpRequest.newBuilder(URI.create(http + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        Matcher m = TAKEN.matcher(metrics);
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
        }
        return sum;
    }
}
