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
                insert into daily_activity (subscriber_id, day, delivered, opened, clicked, orders, revenue)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                on conflict (subscriber_id, day) do update set
                    delivered = daily_activity.delivered + excluded.delivered,
                    opened = daily_activity.opened + excluded.opened,
                    clicked = daily_activity.clicked + excluded.clicked,
                    orders = daily_activity.orders + excluded.orders,
                    revenue = daily_activity.revenue + excluded.revenue
                """)
                .setParameter(1, subscriberId)
                .setParameter(2, increment.day())
                .setParameter(3, increment.delivered())
                .setParameter(4, increment.opened())
                .setParameter(5, increment.clicked())
                .setParameter(6, increment.orders())
                .setParameter(7, increment.revenue())
                .executeUpdate();
    }

    /** The subscriber's aggregates for days after {@code after}. */
    public List<DailyActivity> after(String subscriberId, LocalDate after) {
        List<?> rows = em.createNativeQuery("""
                select day, delivered, opened, clicked, orders, revenue
                from daily_activity where subscriber_id = ?1 and day > ?2
                """)
                .setParameter(1, subscriberId)
                .setParameter(2, after)
                .getResultList();
        return rows.stream().map(row -> {
            Object[] columns = (Object[]) row;
            return new DailyActivity(
                    SqlValues.localDate(columns[0]),
                    ((Number) columns[1]).longValue(),
                    ((Number) columns[2]).longValue(),
                    ((Number) columns[3]).longValue(),
                    ((Number) columns[4]).longValue(),
                    SqlValues.decimal(columns[5]));
        }).toList();
    }
}
