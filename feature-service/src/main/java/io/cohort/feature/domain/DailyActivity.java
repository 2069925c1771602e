package io.cohort.feature.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What one subscriber did on one UTC day: the aggregate every feature window is summed from.
 * Also used as the increment a single event adds to its day.
 */
public record DailyActivity(LocalDate day, long delivered, long opened, long clicked, long orders, BigDecimal revenue,
        long sent, long replied, long bounced, long complaints, long unsubscribes, long pageViews,
        long pricingPageViews, long productViews) {

    public DailyActivity {
        Objects.requireNonNull(day, "day");
        revenue = revenue == null ? BigDecimal.ZERO : revenue;
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
                unsubscribes, pageViews, pricingPageViews, productViews);
    }

    public DailyActivity withReplied(long value) {
        return new DailyActivity(day, delivered, opened, clicked, orders, revenue, sent, value, bounced, complaints,
                unsubscribes, pageViews, pricingPageViews, productViews);
    }

    public DailyActivity withBounced(long value) {
        return new DailyActivity(day, delivered, opened, clicked, orders, revenue, sent, replied, value, complaints,
                unsubscribes, pageViews, pricingPageViews, productViews);
    }

    public DailyActivity withComplaints(long value) {
        return new DailyActivity(day, delivered, opened, clicked, orders, revenue, sent, replied, bounced, value,
                unsubscribes, pageViews, pricingPageViews, productViews);
    }

    public DailyActivity withUnsubscribes(long value) {
        return new DailyActivity(day, delivered, opened, clicked, orders, revenue, sent, replied, bounced, complaints,
                value, pageViews, pricingPageViews, productViews);
    }

    public DailyActivity withPageViews(long views, long pricingViews) {
        return new DailyActivity(day, delivered, opened, clicked, orders, revenue, sent, replied, bounced, complaints,
                unsubscribes, views, pricingViews, productViews);
    }

    public DailyActivity withProductViews(long value) {
        return new DailyActivity(day, delivered, opened, clicked, orders, revenue, sent, replied, bounced, complaints,
                unsubscribes, pageViews, pricingPageViews, value);
    }

    /** True when the event counted towards no aggregate (it only marks the subscriber as seen). */
    public boolean isEmpty() {
        return delivered == 0 && opened == 0 && clicked == 0 && orders == 0 && revenue.signum() == 0
                && sent == 0 && replied == 0 && bounced == 0 && complaints == 0 && unsubscribes == 0
                && pageViews == 0 && pricingPageViews == 0 && productViews == 0;
    }
}
