package io.cohort.feature.persistence;

import io.cohort.feature.domain.Rfm;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The stored RFM boundaries and the customer base they are computed from. */
@ApplicationScoped
public class RfmRepository {

    private final EntityManager em;

    public RfmRepository(EntityManager em) {
        this.em = em;
    }

    public Optional<Rfm.Boundaries> load() {
        List<?> rows = em.createNativeQuery("""
                select array_to_string(recency, ','), array_to_string(frequency, ','), array_to_string(monetary, ','),
                    customers, computed_on from rfm_boundaries where id = 1
                """).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] c = (Object[]) rows.get(0);
        return Optional.of(new Rfm.Boundaries(doubles(c[0]), doubles(c[1]), doubles(c[2]),
                ((Number) c[3]).intValue(), SqlValues.localDate(c[4])));
    }

    public void store(Rfm.Boundaries boundaries, Instant at) {
        em.createNativeQuery("""
                insert into rfm_boundaries (id, recency, frequency, monetary, customers, computed_on, computed_at)
                values (1, cast(?1 as double precision[]), cast(?2 as double precision[]),
                    cast(?3 as double precision[]), ?4, ?5, ?6)
                on conflict (id) do update set recency = excluded.recency, frequency = excluded.frequency,
                    monetary = excluded.monetary, customers = excluded.customers,
                    computed_on = excluded.computed_on, computed_at = excluded.computed_at
                """)
                .setParameter(1, array(boundaries.recency()))
                .setParameter(2, array(boundaries.frequency()))
                .setParameter(3, array(boundaries.monetary()))
                .setParameter(4, boundaries.customers())
                .setParameter(5, boundaries.computedOn())
                .setParameter(6, at)
                .executeUpdate();
    }

    /** Every customer's metrics as of {@code today}: subscribers with an order in the 365-day window. */
    public List<Rfm.Metrics> customers(LocalDate today) {
        List<?> rows = em.createNativeQuery("""
                select max(day), sum(orders), sum(revenue) from daily_activity
                where day > ?1 and day <= ?2 and orders > 0
                group by subscriber_id
                """)
                .setParameter(1, today.minusDays(Rfm.WINDOW_DAYS))
                .setParameter(2, today)
                .getResultList();
        List<Rfm.Metrics> metrics = new ArrayList<>(rows.size());
        for (Object row : rows) {
            Object[] c = (Object[]) row;
            metrics.add(new Rfm.Metrics(ChronoUnit.DAYS.between(SqlValues.localDate(c[0]), today),
                    ((Number) c[1]).longValue(), c[2] == null ? BigDecimal.ZERO : SqlValues.decimal(c[2])));
        }
        return metrics;
    }

    private static String array(double[] values) {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            text.append(i == 0 ? "" : ",").append(values[i]);
        }
        return text.append('}').toString();
    }

    private static double[] doubles(Object value) {
        String[] parts = ((String) value).split(",");
        double[] d = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            d[i] = Double.parseDouble(parts[i].trim());
        }
        return d;
    }
}
