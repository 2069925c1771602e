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

    /** The stored boundaries, with when they were computed. */
    public record Stored(Rfm.Boundaries boundaries, Instant computedAt) {
    }

    public Optional<Stored> loadStored() {
        List<?> rows = em.createNativeQuery("""
                select array_to_string(recency, ','), array_to_string(frequency, ','), array_to_string(monetary, ','),
                    customers, computed_on, computed_at, array_to_string(recency_share, ','),
                    array_to_string(frequency_share, ','), array_to_string(monetary_share, ',')
                from rfm_boundaries where id = 1
                """).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] c = (Object[]) rows.get(0);
        Rfm.Boundaries boundaries = c[6] == null
                ? new Rfm.Boundaries(doubles(c[0]), doubles(c[1]), doubles(c[2]), ((Number) c[3]).intValue(),
                        SqlValues.localDate(c[4]))
                : new Rfm.Boundaries(doubles(c[0]), doubles(c[1]), doubles(c[2]), doubles(c[6]), doubles(c[7]),
                        doubles(c[8]), ((Number) c[3]).intValue(), SqlValues.localDate(c[4]));
        return Optional.of(new Stored(boundaries, SqlValues.instant(c[5])));
    }

    public Optional<Rfm.Boundaries> load() {
        return loadStored().map(Stored::boundaries);
    }

    public void store(Rfm.Boundaries boundaries, Instant at) {
        em.createNativeQuery("""
                insert into rfm_boundaries (id, recency, frequency, monetary, customers, computed_on, computed_at,
                    recency_share, frequency_share, monetary_share)
                values (1, cast(?1 as double precision[]), cast(?2 as double precision[]),
                    cast(?3 as double precision[]), ?4, ?5, ?6, cast(?7 as double precision[]),
                    cast(?8 as double precision[]), cast(?9 as double precision[]))
                on conflict (id) do update set recency = excluded.recency, frequency = excluded.frequency,
                    monetary = excluded.monetary, customers = excluded.customers,
                    computed_on = excluded.computed_on, computed_at = excluded.computed_at,
                    recency_share = excluded.recency_share, frequency_share = excluded.frequency_share,
                    monetary_share = excluded.monetary_share
                """)
                .setParameter(1, array(boundaries.recency()))
                .setParameter(2, array(boundaries.frequency()))
                .setParameter(3, array(boundaries.monetary()))
                .setParameter(4, boundaries.customers())
                .setParameter(5, boundaries.computedOn())
                .setParameter(6, at)
                .setParameter(7, array(boundaries.recencyShare()))
                .setParameter(8, array(boundaries.frequencyShare()))
                .setParameter(9, array(boundaries.monetaryShare()))
                .executeUpdate();
    }

    /** How many customers (subscribers with an order in the 365 days up to {@code today}) there are. */
    public long customers(LocalDate today) {
        return ((Number) em.createNativeQuery("""
                select count(distinct subscriber_id) from daily_activity where day > ?2 and day <= ?1 and orders > 0
                """)
                .setParameter(1, today)
                .setParameter(2, today.minusDays(Rfm.WINDOW_DAYS))
                .getSingleResult()).longValue();
    }

    /**
     * The quintile boundaries of the customers as of {@code today} (see {@link Rfm}), computed in the
     * database: no customer list is loaded into memory. {@link Rfm#boundaries} takes the value at
     * nearest rank {@code ceil(k * n / 5)}; {@code percentile_disc(p)} returns the value at rank
     * {@code ceil(p * n)}, so p = (k * n - 0.5) / (5 * n) gives exactly that rank (ceil(k * n / 5 - 0.1))
     * with no floating-point edge at whole ranks. Each boundary's tie share comes from the customers
     * strictly worse than and equal to its value, counted in one more pass. Empty without customers.
     */
    public Optional<Rfm.Boundaries> boundaries(LocalDate today) {
        List<?> rows = em.createNativeQuery("""
                with customer as materialized (
                    select cast(?1 as date) - max(day) as recency, sum(orders) as frequency,
                        sum(revenue) as monetary
                    from daily_activity where day > ?2 and day <= ?1 and orders > 0
                    group by subscriber_id),
                counted as (select count(*) as n from customer),
                ranks as (
                    select n, cast(array[(n - 0.5) / (5.0 * n), (2 * n - 0.5) / (5.0 * n), (3 * n - 0.5) / (5.0 * n),
                        (4 * n - 0.5) / (5.0 * n)] as double precision[]) as p
                    from counted where n > 0),
                cut as (
                    select ranks.n,
                        percentile_disc(ranks.p) within group (order by customer.recency desc) as r,
                        percentile_disc(ranks.p) within group (order by customer.frequency) as f,
                        percentile_disc(ranks.p) within group (order by customer.monetary) as m
                    from customer cross join ranks
                    group by ranks.n, ranks.p)
                select cut.n, k, cut.r[k], cut.f[k], cast(cut.m[k] as double precision),
                    count(*) filter (where c.recency > cut.r[k]), count(*) filter (where c.recency = cut.r[k]),
                    count(*) filter (where c.frequency < cut.f[k]), count(*) filter (where c.frequency = cut.f[k]),
                    count(*) filter (where c.monetary < cut.m[k]), count(*) filter (where c.monetary = cut.m[k])
                from cut cross join generate_series(1, 4) as k cross join customer c
                group by cut.n, k, cut.r[k], cut.f[k], cut.m[k]
                order by k
                """)
                .setParameter(1, today)
                .setParameter(2, today.minusDays(Rfm.WINDOW_DAYS))
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        double[][] values = new double[3][4];
        double[][] shares = new double[3][4];
        int n = 0;
        for (Object row : rows) {
            Object[] c = (Object[]) row;
            n = ((Number) c[0]).intValue();
            int k = ((Number) c[1]).intValue();
            for (int metric = 0; metric < 3; metric++) {
                values[metric][k - 1] = ((Number) c[2 + metric]).doubleValue();
                shares[metric][k - 1] = Rfm.share(k, n, ((Number) c[5 + 2 * metric]).longValue(),
                        ((Number) c[6 + 2 * metric]).longValue());
            }
        }
        return Optional.of(new Rfm.Boundaries(values[0], values[1], values[2], shares[0], shares[1], shares[2], n,
                today));
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
