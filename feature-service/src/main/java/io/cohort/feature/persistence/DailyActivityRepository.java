package io.cohort.feature.persistence;

import io.cohort.feature.domain.DailyActivity;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Per-subscriber per-day aggregates; increments are additive upserts. */
@ApplicationScoped
public class DailyActivityRepository {

    private static final TypeReference<Map<String, Number>> COUNTS = new TypeReference<>() {
    };

    private static final String INSERT = """
                insert into daily_activity (subscriber_id, day, delivered, opened, clicked, orders, revenue,
                    sent, replied, bounced, complaints, unsubscribes, page_views, pricing_page_views, product_views,
                    mobile_events, desktop_events, categories, engagement_hours)
                """;

    /** Increments add up; an empty count map leaves the stored one alone (no jsonb merge). */
    private static final String ADD_ON_CONFLICT = """
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
                    product_views = daily_activity.product_views + excluded.product_views,
                    mobile_events = daily_activity.mobile_events + excluded.mobile_events,
                    desktop_events = daily_activity.desktop_events + excluded.desktop_events,
                    categories = case when excluded.categories = '{}'::jsonb then daily_activity.categories
                        else add_counts(daily_activity.categories, excluded.categories) end,
                    engagement_hours = case when excluded.engagement_hours = '{}'::jsonb
                        then daily_activity.engagement_hours
                        else add_counts(daily_activity.engagement_hours, excluded.engagement_hours) end
                """;

    private static final String UPSERT = INSERT + """
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                    cast(?18 as jsonb), cast(?19 as jsonb))
                """ + ADD_ON_CONFLICT;

    private static final int COUNT_COLUMNS = 14;

    /** {@link #UPSERT} fed from arrays: (ids, days, revenue, categories, hours, then the 14 counts). */
    private static final String UPSERT_ALL = INSERT + """
                select t.id, cast(t.day as date), t.delivered, t.opened, t.clicked, t.orders,
                    cast(t.revenue as numeric), t.sent, t.replied, t.bounced, t.complaints, t.unsubscribes,
                    t.page_views, t.pricing_page_views, t.product_views, t.mobile_events, t.desktop_events,
                    cast(t.categories as jsonb), cast(t.engagement_hours as jsonb)
                from unnest(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) as t (id, day, revenue,
                    categories, engagement_hours, delivered, opened, clicked, orders, sent, replied, bounced,
                    complaints, unsubscribes, page_views, pricing_page_views, product_views, mobile_events,
                    desktop_events)
                """ + ADD_ON_CONFLICT;

    private final EntityManager em;
    private final ObjectMapper json;

    public DailyActivityRepository(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /** Adds the increment to the subscriber's row for its day, creating the row if needed. */
    public void add(String subscriberId, DailyActivity increment) {
        em.createNativeQuery(UPSERT)
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
                .setParameter(16, increment.mobileEvents())
                .setParameter(17, increment.desktopEvents())
                .setParameter(18, writeCounts(increment.categories()))
                .setParameter(19, writeCounts(increment.engagementHours()))
                .executeUpdate();
    }

    /**
     * Adds many increments with one set-based statement (the consumer's coalesced path): every column
     * travels as one array parameter and {@code unnest} turns them back into rows. Increments of the
     * same subscriber and day must be summed by the caller first (one statement cannot update a row twice).
     */
    public void addAll(List<Map.Entry<String, DailyActivity>> increments) {
        if (increments.isEmpty()) {
            return;
        }
        int n = increments.size();
        List<String> ids = new java.util.ArrayList<>(n);
        List<String> days = new java.util.ArrayList<>(n);
        List<String> revenue = new java.util.ArrayList<>(n);
        List<String> categories = new java.util.ArrayList<>(n);
        List<String> hours = new java.util.ArrayList<>(n);
        List<List<Long>> counts = new java.util.ArrayList<>();
        for (int c = 0; c < COUNT_COLUMNS; c++) {
            counts.add(new java.util.ArrayList<>(n));
        }
        for (Map.Entry<String, DailyActivity> entry : increments) {
            DailyActivity d = entry.getValue();
            ids.add(entry.getKey());
            days.add(d.day().toString());
            revenue.add(d.revenue().toPlainString());
            categories.add(writeCounts(d.categories()));
            hours.add(writeCounts(d.engagementHours()));
            long[] values = {d.delivered(), d.opened(), d.clicked(), d.orders(), d.sent(), d.replied(), d.bounced(),
                    d.complaints(), d.unsubscribes(), d.pageViews(), d.pricingPageViews(), d.productViews(),
                    d.mobileEvents(), d.desktopEvents()};
            for (int c = 0; c < COUNT_COLUMNS; c++) {
                counts.get(c).add(values[c]);
            }
        }
        Jdbc.update(em, UPSERT_ALL, (c, s) -> {
            s.setArray(1, Jdbc.texts(c, ids));
            s.setArray(2, Jdbc.texts(c, days));
            s.setArray(3, Jdbc.texts(c, revenue));
            s.setArray(4, Jdbc.texts(c, categories));
            s.setArray(5, Jdbc.texts(c, hours));
            for (int i = 0; i < COUNT_COLUMNS; i++) {
                s.setArray(6 + i, Jdbc.longs(c, counts.get(i)));
            }
        });
    }

    /** The subscriber's aggregates for days after {@code after}. */
    public List<DailyActivity> after(String subscriberId, LocalDate after) {
        return between(subscriberId, after, LocalDate.of(9999, 12, 31));
    }

    /**
     * The aggregates of many subscribers for days after {@code after}, read with one statement
     * (the refresh computes a whole claimed batch from it); subscribers without rows are absent.
     */
    public Map<String, List<DailyActivity>> afterAll(java.util.Collection<String> subscriberIds, LocalDate after) {
        Map<String, List<DailyActivity>> bySubscriber = new java.util.HashMap<>();
        if (subscriberIds.isEmpty()) {
            return bySubscriber;
        }
        em.unwrap(org.hibernate.Session.class).doWork(connection -> {
            try (java.sql.PreparedStatement s = connection.prepareStatement("""
                    select subscriber_id, day, delivered, opened, clicked, orders, revenue, sent, replied, bounced,
                        complaints, unsubscribes, page_views, pricing_page_views, product_views, mobile_events,
                        desktop_events, cast(categories as text), cast(engagement_hours as text)
                    from daily_activity where subscriber_id = any(?) and day > ?
                    """)) {
                s.setArray(1, Jdbc.texts(connection, subscriberIds));
                s.setObject(2, after);
                try (java.sql.ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        DailyActivity day = new DailyActivity(SqlValues.localDate(r.getObject(2)), n(r.getObject(3)),
                                n(r.getObject(4)), n(r.getObject(5)), n(r.getObject(6)),
                                SqlValues.decimal(r.getObject(7)), n(r.getObject(8)), n(r.getObject(9)),
                                n(r.getObject(10)), n(r.getObject(11)), n(r.getObject(12)), n(r.getObject(13)),
                                n(r.getObject(14)), n(r.getObject(15)), n(r.getObject(16)), n(r.getObject(17)),
                                readCounts(r.getString(18)), hours(readCounts(r.getString(19))));
                        bySubscriber.computeIfAbsent(r.getString(1), k -> new java.util.ArrayList<>()).add(day);
                    }
                }
            }
        });
        return bySubscriber;
    }

    /**
     * Orders and revenue of each subscriber on days up to and including {@code through} plus the
     * monthly rollup (which only holds months older than any window): what lies before the days
     * {@link #afterAll} and {@link #between} read from {@code through}, for the lifetime totals.
     * Subscribers without such orders are absent.
     */
    public Map<String, io.cohort.feature.domain.OrderTotals> ordersThroughAll(java.util.Collection<String> subscriberIds,
            LocalDate through) {
        Map<String, io.cohort.feature.domain.OrderTotals> totals = new java.util.HashMap<>();
        if (subscriberIds.isEmpty()) {
            return totals;
        }
        Jdbc.query(em, """
                select subscriber_id, sum(orders), sum(revenue) from (
                    select subscriber_id, orders, revenue from daily_activity
                    where subscriber_id = any(?) and day <= ? and orders > 0
                    union all
                    select subscriber_id, orders, revenue from monthly_activity
                    where subscriber_id = any(?) and orders > 0) earlier
                group by subscriber_id
                """, (c, s) -> {
            java.sql.Array ids = Jdbc.texts(c, subscriberIds);
            s.setArray(1, ids);
            s.setObject(2, through);
            s.setArray(3, ids);
        }, r -> totals.put(r.getString(1), new io.cohort.feature.domain.OrderTotals(r.getLong(2),
                SqlValues.decimal(r.getObject(3)))));
        return totals;
    }

    /** The subscriber's aggregates for days after {@code after} and before {@code before}. */
    public List<DailyActivity> between(String subscriberId, LocalDate after, LocalDate before) {
        List<?> rows = em.createNativeQuery("""
                select day, delivered, opened, clicked, orders, revenue, sent, replied, bounced, complaints,
                    unsubscribes, page_views, pricing_page_views, product_views, mobile_events, desktop_events,
                    cast(categories as text), cast(engagement_hours as text)
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
                    n(c[13]), n(c[14]), n(c[15]), readCounts((String) c[16]), hours(readCounts((String) c[17])));
        }).toList();
    }

    private String writeCounts(Map<?, Long> counts) {
        try {
            return json.writeValueAsString(counts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("counts are not serialisable", e);
        }
    }

    private Map<String, Long> readCounts(String value) {
        if (value == null || value.equals("{}")) {
            return Map.of();
        }
        try {
            Map<String, Number> raw = json.readValue(value, COUNTS);
            Map<String, Long> counts = new java.util.TreeMap<>();
            raw.forEach((k, v) -> counts.put(k, v.longValue()));
            return counts;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored counts are not readable", e);
        }
    }

    private static Map<Integer, Long> hours(Map<String, Long> counts) {
        Map<Integer, Long> hours = new java.util.TreeMap<>();
        counts.forEach((k, v) -> hours.put(Integer.parseInt(k), v));
        return hours;
    }

    private static long n(Object value) {
        return ((Number) value).longValue();
    }
}
