import io.cohort.segment.domain.MembershipReadModel;
import io.cohort.segment.domain.MembershipReadModel.StoredMembership;
import io.cohort.segment.domain.ScoreVersion;
import io.cohort.segment.domain.SubscriberView;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * Heap cost of segment-service's read model (not run by ./mvnw verify; see README.md next to it):
 * fills a MembershipReadModel with {@code --subscribers} subscribers, each with {@code --memberships}
 * memberships and a view shaped like the bench's (17 features, 3 labels, 3 scores, one reason list),
 * and reports the retained heap per subscriber, and once more without memberships, so the cost per
 * membership is the difference. Run: bench/segment-service/memory.sh [--subscribers N] [--memberships M].
 */
public class ReadModelMemory {

    public static void main(String[] args) throws Exception {
        int subscribers = 200_000;
        int memberships = 20;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--subscribers" -> subscribers = Integer.parseInt(args[i + 1]);
                case "--memberships" -> memberships = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        double withMemberships = perSubscriber(subscribers, memberships);
        double viewOnly = perSubscriber(subscribers, 0);
        double perMembership = (withMemberships - viewOnly) / memberships;
        System.out.printf("read model, %d subscribers: %.0f bytes per subscriber with %d memberships, %.0f without "
                + "(view, map entry, id); %.1f bytes per membership%n", subscribers, withMemberships, memberships,
                viewOnly, perMembership);
        System.out.printf("1M subscribers x %d memberships: %.2f GB (views %.2f GB + memberships %.2f GB)%n",
                memberships, withMemberships * 1e6 / 1e9, viewOnly * 1e6 / 1e9, perMembership * memberships * 1e6 / 1e9);
    }

    static double perSubscriber(int subscribers, int memberships) throws Exception {
        List<UUID> segments = new ArrayList<>();
        for (int i = 0; i < memberships; i++) {
            segments.add(UUID.randomUUID());
        }
        long before = used();
        MembershipReadModel model = new MembershipReadModel();
        Random random = new Random(1);
        String[] groups = {"Champions", "Loyal", "Potential", "New", "At Risk", "Hibernating", "Lost"};
        Instant now = Instant.parse("2026-12-05T08:00:00Z");
        for (int s = 0; s < subscribers; s++) {
            String id = String.format("bench-%07d", s);
            Map<String, Double> features = new HashMap<>();
            for (String name : List.of("emails_opened_30d", "emails_clicked_30d", "emails_sent_90d",
                    "emails_opened_90d", "emails_clicked_90d", "orders_90d", "revenue_365d", "days_since_last_open",
                    "days_since_last_order", "engaged_sends_last_5", "engagement_decay_slope_8w", "account_tier",
                    "account_target", "account_engaged_contacts_30d", "account_pricing_intent_30d",
                    "category_share_90d.shoes", "suppressed")) {
                // new String: names arrive parsed from JSON, one instance per record
                features.put(new String(name), random.nextDouble() * 100);
            }
            Map<String, String> labels = Map.of(new String("rfm_group"), new String(groups[random.nextInt(7)]),
                    new String("lifecycle_stage"), new String("customer"), new String("account_id"),
                    "acct-" + random.nextInt(500));
            Map<String, Double> scores = Map.of(new String("churn.90d"), random.nextDouble(),
                    new String("propensity.clicked_7d"), random.nextDouble(), new String("sendtime.hour_of_week"),
                    (double) random.nextInt(168));
            Map<String, List<String>> reasons = Map.of(new String("churn.90d"),
                    List.of(new String("days_since_last_open"), new String("emails_opened_30d")));
            SubscriberView view = new SubscriberView(id, 2L, features, new ScoreVersion(2, now, null), null, null,
                    labels, now, scores, reasons);
            List<StoredMembership> rows = new ArrayList<>();
            for (int m = 0; m < memberships; m++) {
                rows.add(new StoredMembership(segments.get(m), // the refresher shares segment ids likewise
                        now.minusSeconds(random.nextInt(1_000_000)), random.nextInt(10) == 0));
            }
            model.putSubscriber(id, Optional.of(view), rows);
        }
        long after = used();
        if (model.size() != subscribers) {
            throw new IllegalStateException("model holds " + model.size());
        }
        return (after - before) / (double) subscribers;
    }

    static long used() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
