package io.cohort.feature.persistence;

import io.cohort.feature.domain.Rfm;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.LocalDate;
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

    /**
     * The quintile boundaries of the customers as of {@code today} (see {@link Rfm}), computed in the
     * database: no customer list is loaded into memory. {@link Rfm#boundaries} takes the value at
     * nearest rank {@code ceil(k * n / 5)}; {@code percentile_disc(p)} returns the value at rank
     * {@code ceil(p * n)}, so p = (k * n - 0.5) / (5 * n) gives exactly that rank (ceil(k * n / 5 - 0.1))
     * with no floating-point edge at whole ranks. Empty without customers.
     */
    public Optional<Rfm.Boundaries> boundaries(LocalDate today) {
        List<?> rows = em.createNativeQuery("""
                with customer as (
                    select cast(?1 as date) - max(day) as recency, sum(orders) as frequency,
                        sum(revenue) as monetary
                    from daily_activity where day > ?2 and day <= ?1 and orders > 0
                    group by subscriber_id),
                counted as (select count(*) as n from customer),
                ranks as (
                    select n, cast(array[(n - 0.5) / (5.0 * n), (2 * n - 0.5) / (5.0 * n), (3 * n - 0.5) / (5.0 * n),
                        (4 * n - 0.5) / (5.0 * n)] as double precision[]) as p
                    from counted where n > 0)
                select ranks.n,
                    array_to_string(percentile_disc(ranks.p) within group (order by customer.recency desc), ','),
                    array_to_string(percentile_disc(ranks.p) within group (order by customer.frequency), ','),
                    array_to_string(percentile_disc(ranks.p) within group (order by customer.monetary), ',')
                from customer cross join ranks
                group by ranks.n, ranks.p
                """)
                .setParameter(1, today)
                .setParameter(2, today.minusDays(Rfm.WINDOW_DAYS))
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] c = (Object[]) rows.get(0);
        return Optional.of(new Rfm.Boundaries(doubles(c[1]), doubles(c[2]), doubles(c[3]),
                ((Number) c[0]).intValue(), today));
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
