package io.cohort.feature.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.LocalDate;

/**
 * Folds daily aggregates older than a cutoff day into monthly rows ({@code monthly_activity}) and
 * deletes them, in one transaction. Safe to repeat and to run on several replicas: rows are moved
 * by one statement (delete ... returning, then an additive upsert), so none is counted twice.
 */
@ApplicationScoped
public class RollupRepository {

    private final EntityManager em;

    public RollupRepository(EntityManager em) {
        this.em = em;
    }

    /** Moves up to {@code limit} daily rows dated before {@code before}; returns how many moved. */
    @Transactional
    public int rollUpBefore(LocalDate before, int limit) {
        return em.createNativeQuery("""
                with moved as (
                    delete from daily_activity where ctid in (
                        select ctid from daily_activity where day < ?1 limit ?2 for update skip locked)
                    returning *),
                summed as (
                    select subscriber_id, cast(date_trunc('month', day) as date) as month,
                        sum(delivered) as delivered, sum(opened) as opened, sum(clicked) as clicked,
                        sum(orders) as orders, sum(revenue) as revenue, sum(sent) as sent, sum(replied) as replied,
                        sum(bounced) as bounced, sum(complaints) as complaints, sum(unsubscribes) as unsubscribes,
                        sum(page_views) as page_views, sum(pricing_page_views) as pricing_page_views,
                        sum(product_views) as product_views, sum(mobile_events) as mobile_events,
                        sum(desktop_events) as desktop_events, count(*) as days
                    from moved group by subscriber_id, cast(date_trunc('month', day) as date)),
                upserted as (
                    insert into monthly_activity (subscriber_id, month, delivered, opened, clicked, orders, revenue,
                        sent, replied, bounced, complaints, unsubscribes, page_views, pricing_page_views,
                        product_views, mobile_events, desktop_events)
                    select subscriber_id, month, delivered, opened, clicked, orders, revenue, sent, replied, bounced,
                        complaints, unsubscribes, page_views, pricing_page_views, product_views, mobile_events,
                        desktop_events from summed
                    on conflict (subscriber_id, month) do update set
                        delivered = monthly_activity.delivered + excluded.delivered,
                        opened = monthly_activity.opened + excluded.opened,
                        clicked = monthly_activity.clicked + excluded.clicked,
                        orders = monthly_activity.orders + excluded.orders,
                        revenue = monthly_activity.revenue + excluded.revenue,
                        sent = monthly_activity.sent + excluded.sent,
                        replied = monthly_activity.replied + excluded.replied,
                        bounced = monthly_activity.bounced + excluded.bounced,
                        complaints = monthly_activity.complaints + excluded.complaints,
                        unsubscribes = monthly_activity.unsubscribes + excluded.unsubscribes,
                        page_views = monthly_activity.page_views + excluded.page_views,
                        pricing_page_views = monthly_activity.pricing_page_views + excluded.pricing_page_views,
                        product_views = monthly_activity.product_views + excluded.product_views,
                        mobile_events = monthly_activity.mobile_events + excluded.mobile_events,
                        desktop_events = monthly_activity.desktop_events + excluded.desktop_events
                    returning 1)
                select coalesce(sum(days), 0) from summed where (select count(*) from upserted) >= 0
                """)
                .setParameter(1, before)
                .setParameter(2, limit)
                .getSingleResult() instanceof Number n ? n.intValue() : 0;
    }

    /** Lifetime totals of a subscriber's rolled-up months: {orders, revenue} (for tests and lookups). */
    @Transactional
    public Object[] monthlyTotals(String subscriberId) {
        return (Object[]) em.createNativeQuery("""
                select coalesce(sum(orders), 0), coalesce(sum(revenue), 0), count(*) from monthly_activity
                where subscriber_id = ?1
                """).setParameter(1, subscriberId).getSingleResult();
    }
}
