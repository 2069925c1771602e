package io.cohort.feature.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.FeatureNames;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RfmTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 3, 10);

    private static DailyActivity orders(LocalDate day, long orders, String revenue) {
        return new DailyActivity(day, 0, 0, 0, orders, new BigDecimal(revenue));
    }

    @Test
    void metricsUseTheLast365DaysOnly() {
        List<DailyActivity> days = List.of(
                orders(TODAY.minusDays(365), 3, "300"), // one day too old
                orders(TODAY.minusDays(364), 1, "10.50"),
                orders(TODAY.minusDays(40), 2, "20.25"),
                new DailyActivity(TODAY.minusDays(2), 1, 1, 0, 0, BigDecimal.ZERO)); // no order: not recency
        Rfm.Metrics metrics = Rfm.metrics(days, TODAY);
        assertEquals(40L, metrics.recencyDays());
        assertEquals(3, metrics.frequency());
        assertEquals(0, new BigDecimal("30.75").compareTo(metrics.monetary()));

        Rfm.Metrics none = Rfm.metrics(List.of(orders(TODAY.minusDays(400), 1, "5")), TODAY);
        assertNull(none.recencyDays());
        assertEquals(0, none.frequency());
        assertTrue(!none.isCustomer());
        assertEquals(0L, Rfm.metrics(List.of(orders(TODAY, 1, "5")), TODAY).recencyDays());
    }

    @Test
    void quintileBoundariesAreNearestRanksAndTiesShareAScore() {
        // frequencies 1..10, recency 10..1 days, monetary 100..1000: boundaries at ranks 2, 4, 6, 8
        List<Rfm.Metrics> customers = IntStream.rangeClosed(1, 10)
                .mapToObj(i -> new Rfm.Metrics((long) (11 - i), i, BigDecimal.valueOf(100L * i))).toList();
        Rfm.Boundaries b = Rfm.boundaries(customers, TODAY);
        assertArrayEquals(new double[] {2, 4, 6, 8}, b.frequency());
        assertArrayEquals(new double[] {200, 400, 600, 800}, b.monetary());
        assertArrayEquals(new double[] {9, 7, 5, 3}, b.recency(), "recency worst (most days) first");
        assertEquals(10, b.customers());
        // f = 1, 2 -> 1; 3, 4 -> 2; ...; 9, 10 -> 5 (score = 1 + boundaries strictly beaten)
        int[] expected = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
        for (int i = 1; i <= 10; i++) {
            Rfm.Scores s = Rfm.score(customers.get(i - 1), b).orElseThrow();
            assertEquals(expected[i - 1], s.f(), "f of " + i);
            assertEquals(expected[i - 1], s.m(), "m of " + i);
            assertEquals(expected[i - 1], s.r(), "r of recency " + (11 - i));
        }
        // 6 of 10 customers ordered once: cuts 1, 1, 1, 2 -> a single order is score 1, two orders 4, three 5
        List<Rfm.Metrics> skewed = new ArrayList<>();
        for (long f : new long[] {1, 1, 1, 1, 1, 1, 2, 2, 3, 7}) {
            skewed.add(new Rfm.Metrics(5L, f, BigDecimal.TEN));
        }
        Rfm.Boundaries sb = Rfm.boundaries(skewed, TODAY);
        assertArrayEquals(new double[] {1, 1, 1, 2}, sb.frequency());
        assertEquals(1, Rfm.score(skewed.get(0), sb).orElseThrow().f());
        assertEquals(4, Rfm.score(skewed.get(6), sb).orElseThrow().f());
        assertEquals(5, Rfm.score(skewed.get(8), sb).orElseThrow().f());
        // everyone ties on recency and monetary: all score 1
        assertEquals(1, Rfm.score(skewed.get(9), sb).orElseThrow().r());
        assertEquals(1, Rfm.score(skewed.get(9), sb).orElseThrow().m());
    }

    @Test
    void nonCustomersAndMissingBoundariesHaveNoScore() {
        Rfm.Boundaries b = Rfm.boundaries(List.of(new Rfm.Metrics(1L, 1, BigDecimal.ONE)), TODAY);
        assertEquals(Optional.empty(), Rfm.score(new Rfm.Metrics(null, 0, BigDecimal.ZERO), b));
        assertEquals(Optional.empty(), Rfm.score(new Rfm.Metrics(1L, 1, BigDecimal.ONE), null));
        assertNull(Rfm.boundaries(List.of(new Rfm.Metrics(null, 0, BigDecimal.ZERO)), TODAY));
        // a single customer: all boundaries are their own values, so they score 1 everywhere
        Rfm.Scores single = Rfm.score(new Rfm.Metrics(1L, 1, BigDecimal.ONE), b).orElseThrow();
        assertEquals(List.of(1, 1, 1, "Lost"), List.of(single.r(), single.f(), single.m(), single.group()));
    }

    @Test
    void groupsFollowTheDocumentedGrid() {
        assertEquals("New", Rfm.group(5, 1, 1));
        assertEquals("Potential", Rfm.group(5, 1, 2)); // FM = ceil(1.5) = 2
        assertEquals("Champions", Rfm.group(5, 5, 4));
        assertEquals("Champions", Rfm.group(4, 4, 3)); // FM = ceil(3.5) = 4
        assertEquals("Potential", Rfm.group(4, 3, 3));
        assertEquals("Loyal", Rfm.group(3, 3, 3));
        assertEquals("Loyal", Rfm.group(3, 5, 5));
        assertEquals("Potential", Rfm.group(3, 2, 2));
        assertEquals("At Risk", Rfm.group(2, 5, 5));
        assertEquals("At Risk", Rfm.group(1, 3, 4));
        assertEquals("Hibernating", Rfm.group(2, 1, 2));
        assertEquals("Lost", Rfm.group(1, 2, 2));
        for (int r = 1; r <= 5; r++) {
            for (int f = 1; f <= 5; f++) {
                for (int m = 1; m <= 5; m++) {
                    assertTrue(FeatureNames.RFM_GROUPS.contains(Rfm.group(r, f, m)));
                }
            }
        }
    }

    @Test
    void theVectorCarriesScoresAndTheGroupOnlyWithBoundaries() {
        FeatureCalculator calculator = new FeatureCalculator();
        List<DailyActivity> days = List.of(orders(TODAY.minusDays(3), 2, "50"));
        SubscriberState state = new SubscriberState(null, null, null, null, false, false, false, true);
        java.time.Instant now = TODAY.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC);
        FeatureCalculator.Vector without = calculator.compute(days, state, FeatureCalculator.Context.NONE, now);
        assertEquals(3.0, without.features().get(FeatureNames.RFM_RECENCY_DAYS));
        assertEquals(2.0, without.features().get(FeatureNames.RFM_FREQUENCY));
        assertEquals(50.0, without.features().get(FeatureNames.RFM_MONETARY));
        assertTrue(!without.features().containsKey(FeatureNames.RFM_R_SCORE));
        assertTrue(!without.labels().containsKey(FeatureNames.RFM_GROUP));

        // base: this customer beats everybody on every metric
        List<Rfm.Metrics> base = IntStream.rangeClosed(1, 10)
                .mapToObj(i -> new Rfm.Metrics(10L + i, 1, BigDecimal.ONE)).toList();
        Rfm.Boundaries b = Rfm.boundaries(base, TODAY);
        FeatureCalculator.Vector with = calculator.compute(days, state,
                new FeatureCalculator.Context(b, null, null, null, null), now);
        assertEquals(Map.of(FeatureNames.RFM_R_SCORE, 5.0, FeatureNames.RFM_F_SCORE, 5.0, FeatureNames.RFM_M_SCORE, 5.0),
                Map.of(FeatureNames.RFM_R_SCORE, with.features().get(FeatureNames.RFM_R_SCORE),
                        FeatureNames.RFM_F_SCORE, with.features().get(FeatureNames.RFM_F_SCORE),
                        FeatureNames.RFM_M_SCORE, with.features().get(FeatureNames.RFM_M_SCORE)));
        assertEquals("Champions", with.labels().get(FeatureNames.RFM_GROUP));
    }

    @Test
    void aBuyerWithNoOrderInTheWindowIsLostWithoutScores() {
        FeatureCalculator calculator = new FeatureCalculator();
        java.time.Instant now = TODAY.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC);
        Rfm.Boundaries b = Rfm.boundaries(java.util.stream.IntStream.range(0, 10)
                .mapToObj(i -> new Rfm.Metrics(10L + i, 1, BigDecimal.ONE)).toList(), TODAY);
        var context = new FeatureCalculator.Context(b, null, null, null, null);
        // last order 400 days ago: its daily row is outside the window (or already rolled up)
        SubscriberState lapsed = new SubscriberState(now.minus(java.time.Duration.ofDays(500)), null, null,
                now.minus(java.time.Duration.ofDays(400)), false, false, false, true);
        FeatureCalculator.Vector v = calculator.compute(List.of(orders(TODAY.minusDays(400), 1, "20")), lapsed,
                context, now);
        assertEquals("Lost", v.labels().get(FeatureNames.RFM_GROUP));
        assertEquals(0.0, v.features().get(FeatureNames.RFM_FREQUENCY));
        assertTrue(!v.features().containsKey(FeatureNames.RFM_R_SCORE), "no quintile outside the scored base");
        // never ordered: no group at all
        SubscriberState never = new SubscriberState(now.minus(java.time.Duration.ofDays(500)), null, null, null,
                false, false, false, true);
        assertTrue(!calculator.compute(List.of(), never, context, now).labels().containsKey(FeatureNames.RFM_GROUP));
        // an order on the window's first day (364 days ago) is scored as usual
        SubscriberState recent = new SubscriberState(now.minus(java.time.Duration.ofDays(500)), null, null,
                now.minus(java.time.Duration.ofDays(364)), false, false, false, true);
        FeatureCalculator.Vector scored = calculator.compute(List.of(orders(TODAY.minusDays(364), 1, "20")), recent,
                context, now);
        assertTrue(scored.features().containsKey(FeatureNames.RFM_R_SCORE));
    }
}
