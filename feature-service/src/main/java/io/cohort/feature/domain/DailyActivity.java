package io.cohort.feature.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one subscriber did on one UTC day: the aggregate every feature window is summed from.
 * Also used as the increment a single event adds to its day.
 *
 * @param mobileEvents     events of the day whose device was mobile (see {@link ActivityCounter#device})
 * @param desktopEvents    events of the day whose device was a desktop
 * @param categories       product views and ordered products per category (lower-cased)
 * @param engagementHours  human opens and clicks per UTC hour of the day (0-23)
 */
public record DailyActivity(LocalDate day, long delivered, long opened, long clicked, long orders, BigDecimal revenue,
        long sent, long replied, long bounced, long complaints, long unsubscribes, long pageViews,
        long pricingPageViews, long productViews, long mobileEvents, long desktopEvents,
        Map<String, Long> categories, Map<Integer, Long> engagementHours) {

    public DailyActivity {
        Objects.requireNonNull(day, "day");
        revenue = revenue == null ? BigDecimal.ZERO : revenue;
        categories = categories == null ? Map.of() : Map.copyOf(categories);
        engagementHours = engagementHours == null ? Map.of() : Map.copyOf(engagementHours);
    }

    /** The second-release aggregate, without device, category and hour counts. */
    public DailyActivity(LocalDate day, long delivered, long opened, long clicked, long orders, BigDecimal revenue,
            long sent, long replied, long bounced, long complaints, long unsubscribes, long pageViews,
            long pricingPageViews, long productViews) {
        this(day, delivered, opened, clicked, orders, revenue, sent, replied, bounced, complaints, unsubscribes,
                pageViews, pricingPageViews, productViews, 0, 0, Map.of(), Map.of());
    }

    /** The first-release aggregate: email and order counts only. */
    public DailyActivity(LocalDate day, long delivered, long opened, long clicked, long orders, BigDecimal revenue) {
        this(day, delivered, opened, clicked, orders, revenue, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public static DailyActivity nothingOn(LocalDate day) {
        return new DailyActivity(day, 0, 0, 0, 0, BigDecimal.ZERO);
    }

    public DailyActivity withSent(long value) {
        return new DailyActivity(day, delivered, opened, clicked, orders, revenue, value, replied, bounced, complaints,
                unsubscribes, pageViews, pricingPageViews, productViews, mobileEvents, desktopEvents, categories,
                engagementHours);
    }

    public DailyActivity withReplied(long value) {
        return new DailyActivity(day, delivered, opened, clicked, orders, revenue, sent, value, bounced, complaints,
                unsubscribes, pageViews, pricingPageViews, productViews, mobileEvents, desktopEvents, categories,
                engagementHours);
    }

    public DailyActivity withBounced(long value) {
        return new DailyActivity(day, delivered, opened, clicked, orders, revenue, sent, replied, value, complaints,
                unsubscribes, pageViews, pricingPageViews, productViews, mobileEvents, desktopEvents, categories,
                engagementHours);
    }

    public DailyActivity withComplaints(long value) {
        return new DailyActivity(day, delivered, opened, clicked, orders, revenue, sent, replied, bounced, value,
                unsubscribes, pageViews, pricingPageViews, productViews, mobileEvents, desktopEvents, categories,
                engagementHours);
    }

    public DailyActivity withUnsubscribes(long value) {
        return new DailyActivity(day, delivered, opened, clicked, orders, revenue, sent, replied, bounced, complaints,
                value, pageViews, pricingPageViews, productViews, mobileEvents, desktopEvents, categories,
                engagementHours);
    }

    public DailyActivity withPageViews(long views, long pricingViews) {
        return new DailyActivity(day, delivered, opened, clicked, orders, revenue, sent, replied, bounced, complaints,
                unsubscribes, views, pricingViews, productViews, mobileEvents, desktopEvents, categories,
                engagementHours);
    }

    public DailyActivity withProductViews(long value) {
        return new DailyActivity(day, delivered, opened, clicked, orders, revenue, sent, replied, bounced, complaints,
                unsubscribes, pageViews, pricingPageViews, value, mobileEvents, desktopEvents, categories,
                engagementHours);
    }

    public DailyActivity withDevices(long mobile, long desktop) {
        return new DailyActivity(day, delivered, opened, clicked, orders, revenue, sent, replied, bounced, complaints,
                unsubscribes, pageViews, pricingPageViews, productViews, mobile, desktop, categories,
                engagementHours);
    }

    public DailyActivity withCategories(Map<String, Long> value) {
        return new DailyActivity(day, delivered, opened, clicked, orders, revenue, sent, replied, bounced, complaints,
                unsubscribes, pageViews, pricingPageViews, productViews, mobileEvents, desktopEvents, value,
                engagementHours);
    }

    public DailyActivity withEngagementHours(Map<Integer, Long> value) {
        return new DailyActivity(day, delivered, opened, clicked, orders, revenue, sent, replied, bounced, complaints,
                unsubscribes, pageViews, pricingPageViews, productViews, mobileEvents, desktopEvents, categories,
                value);
    }

    /** The sum of two aggregates, dated {@code day} (used to fold replayed increments and in tests). */
    public DailyActivity plus(DailyActivity other) {
        Map<String, Long> cats = new TreeMap<>(categories);
        other.categories.forEach((k, v) -> cats.merge(k, v, Long::sum));
        Map<Integer, Long> hours = new TreeMap<>(engagementHours);
        other.engagementHours.forEach((k, v) -> hours.merge(k, v, Long::sum));
        return new DailyActivity(day, delivered + other.delivered, opened + other.opened, clicked + other.clicked,
                orders + other.orders, revenue.add(other.revenue), sent + other.sent, replied + other.replied,
                bounced + other.bounced, complaints + other.complaints, unsubscribes + other.unsubscribes,
                pageViews + other.pageViews, pricingPageViews + other.pricingPageViews,
                productViews + other.productViews, mobileEvents + other.mobileEvents,
                desktopEvents + other.desktopEvents, cats, hours);
    }

    /** True when the event counted towards no aggregate (it only marks the subscriber as seen). */
    /**
     * Whether the subscriber did something (a human open, a click, a reply, a page or product view, an
     * order), rather than something happening to them (sends, deliveries, bounces, machine opens).
     */
    public boolean ownAction() {
        return opened > 0 || clicked > 0 || replied > 0 || pageViews > 0 || productViews > 0 || orders > 0;
    }

    public boolean isEmpty() {
        return delivered == 0 && opened == 0 && clicked == 0 && orders == 0 && revenue.signum() == 0
                && sent == 0 && replied == 0 && bounced == 0 && complaints == 0 && unsubscribes == 0
                && pageViews == 0 && pricingPageViews == 0 && productViews == 0 && mobileEvents == 0
                && desktopEvents == 0 && categories.isEmpty() && engagementHours.isEmpty();
    }
}
