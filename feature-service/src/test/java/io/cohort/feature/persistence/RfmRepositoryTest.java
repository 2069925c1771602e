package io.cohort.feature.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.devstack.DevStackTestResource;
import io.cohort.feature.domain.Rfm;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The RFM quintile boundaries computed in SQL ({@code percentile_disc}) equal the in-memory nearest-rank
 * ones of {@link Rfm#boundaries} for customer bases of every size modulo 5, with ties. Each base is
 * written in a transaction that is rolled back, dated centuries ahead so no other test's rows count.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class RfmRepositoryTest {

    @Inject
    RfmRepository rfm;

    @Inject
    EntityManager em;

    @Test
    void sqlBoundariesEqualTheNearestRankOnesForEveryBaseSize() {
        Random random = new Random(11);
        for (int n : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 24, 25, 26, 99, 137}) {
            LocalDate today = LocalDate.of(2400 + n, 6, 30);
            QuarkusTransaction.begin();
            try {
                List<Rfm.Metrics> expected = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    expected.add(writeCustomer("rfm-" + n + "-" + i + "-" + UUID.randomUUID(), today, random));
                }
                // a subscriber without any order in the window is no customer
                String lapsed = "rfm-lapsed-" + UUID.randomUUID();
                subscriber(lapsed);
                day(lapsed, today.minusDays(400), 3, new BigDecimal("99"));
                day(lapsed, today.minusDays(2), 0, BigDecimal.ZERO);

                Rfm.Boundaries inMemory = Rfm.boundaries(expected, today);
                Rfm.Boundaries inSql = rfm.boundaries(today).orElseThrow();
                assertEquals(inMemory, inSql, "n = " + n + ": " + inMemory + " vs " + inSql);
                assertEquals(n, inSql.customers());
                assertEquals(today, inSql.computedOn());
            } finally {
                QuarkusTransaction.rollback();
            }
        }
        assertTrue(QuarkusTransaction.requiringNew().call(() -> rfm.boundaries(LocalDate.of(2399, 1, 1))).isEmpty(),
                "no customers, no boundaries");
    }

    /** A customer with 1-3 order days in the window (small ranges, so values tie) and one row outside it. */
    private Rfm.Metrics writeCustomer(String id, LocalDate today, Random random) {
        subscriber(id);
        long frequency = 0;
        BigDecimal monetary = BigDecimal.ZERO;
        long recency = Long.MAX_VALUE;
        List<Integer> ago = new ArrayList<>();
        int days = 1 + random.nextInt(3);
        while (ago.size() < days) {
            int d = random.nextInt(6) * 60; // 0, 60, ... 300 days ago
            if (!ago.contains(d)) {
                ago.add(d);
            }
        }
        for (int d : ago) {
            long orders = 1 + random.nextInt(2);
            BigDecimal revenue = new BigDecimal(random.nextInt(4) * 25 + ".50");
            day(id, today.minusDays(d), orders, revenue);
            frequency += orders;
            monetary = monetary.add(revenue);
            recency = Math.min(recency, d);
        }
        day(id, today.minusDays(365), 7, new BigDecimal("1000")); // the window is (today - 365, today]
        return new Rfm.Metrics(recency, frequency, monetary);
    }

    private void subscriber(String id) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        em.createNativeQuery("insert into subscriber (subscriber_id, first_seen, last_seen) values (?1, ?2, ?2)")
                .setParameter(1, id).setParameter(2, at).executeUpdate();
    }

    private void day(String id, LocalDate day, long orders, BigDecimal revenue) {
        em.createNativeQuery("insert into daily_activity (subscriber_id, day, orders, revenue) values (?1, ?2, ?3, ?4)")
                .setParameter(1, id).setParameter(2, day).setParameter(3, orders).setParameter(4, revenue)
                .executeUpdate();
    }
}
