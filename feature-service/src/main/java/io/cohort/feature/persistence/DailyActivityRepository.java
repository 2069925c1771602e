package io.cohort.feature.persistence;

import io.cohort.feature.domain.DailyActivity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.LocalDate;
import java.util.List;

/** Per-subscriber per-day aggregates; increments are additive upserts. */
@ApplicationScoped
public class DailyActivityRepository {

    private final EntityManager em;

    public DailyActivityRepository(EntityManager em) {
        this.em = em;
    }

    /** Adds the increment to the subscriber's row for its day, creating the row if needed. */
    public void add(String subscriberId, DailyActivity increment) {
        em.createNativeQuery("""
                insert into daily_activity (subscriber_id, day, delivered, opened, clicked, orders, revenue,
                    sent, replied, bounced, complaints, unsubscribes, page_views, pricing_page_views, product_views)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
                on conflict (subscriber_id, day) do update set
                    delivered = daily_activity.delivered + excluded.delivered,
                    opened = daily_activity.opened + excluded.opened,
                    clicked = daily_activity.clicked + excluded.clicked,
                    orders = daily_activity.orders + excluded.orders,
                    revenue = daily_activity.revenue + excluded.revenue,
                    sent = daily_activity.sent + excluded.sent,
                    replied = daily_activity.replied + excluded.replied,
                    bounced = daily_activity.bounced + excluded.bounced,
                    complaints = daily_activity.complaints + excluded.complaints,
                    unsubscribes = daily_activity.unsubscribes + excluded.unsubscribes,
                    page_views = daily_activity.page_views + excluded.page_views,
                    pricing_page_views = daily_activity.pricing_page_views + excluded.pricing_page_views,
                    product_views = daily_activity.product_views + excluded.product_views
                """)
                .setParameter(1, subscriberId)
                .setParameter(2, increment.day())
                .setParameter(3, increment.delivered())
                .setParameter(4, increment.opened())
                .setParameter(5, increment.clicked())
                .setParameter(6, increment.orders())
                .setParameter(7, increment.revenue())
                .setParameter(8, increment.sent())
                .setParameter(9, increment.replied())
                .setParameter(10, increment.bounced())
                .setParameter(11, increment.complaints())
                .setParameter(12, increment.unsubscribes())
                .setParameter(13, increment.pageViews())
                .setParameter(14, increment.pricingPageViews())
                .setParameter(15, increment.productViews())
                .executeUpdate();
    }

    /** The subscriber's aggregates for days after {@code after}. */
    public List<DailyActivity> after(String subscriberId, LocalDate after) {
        return between(subscriberId, after, LocalDate.of(9999, 12, 31));
    }

    /** The subscriber's aggregates for days after {@code after} and before {@code before}. */
    public List<DailyActivity> between(String subscriberId, LocalDate after, LocalDate before) {
        List<?> rows = em.createNativeQuery("""
                select day, delivered, opened, clicked, orders, revenue, sent, replied, bounced, complaints,
                    unsubscribes, page_views, pricing_page_views, product_views
                from daily_activity where subscriber_id = ?1 and day > ?2 and day < ?3
                """)
                .setParameter(1, subscriberId)
                .setParameter(2, after)
                .setParameter(3, before)
                .getResultList();
        return rows.stream().map(row -> {
            Object[] c = (Object[]) row;
            return new DailyActivity(SqlValues.localDate(c[0]), n(c[1]), n(c[2]), n(c[3]), n(c[4]),
                    SqlValues.decimal(c[5]), n(c[6]), n(c[7]), n(c[8]), n(c[9]), n(c[10]), n(c[11]), n(c[12]),
                    n(c[13]));
        }).toList();
    }

    private static long n(Object value) {
        return ((Number) value).longValue();
    }
}
