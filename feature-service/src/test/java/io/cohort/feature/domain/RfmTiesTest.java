package io.cohort.feature.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Ties split across the quintiles they span, and when boundaries are recomputed (issue 15, item 9). */
class RfmTiesTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 3, 10);

    /** Frequencies 1 x7, 2 x5, 3 x4, 5 x2, 8 x2 (n = 20, cuts at positions 4, 8, 12, 16); other metrics distinct. */
    private static List<Rfm.Metrics> twenty() {
        int[] frequencies = {1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 5, 5, 8, 8};
        List<Rfm.Metrics> customers = new ArrayList<>();
        for (int i = 0; i < frequencies.length; i++) {
            customers.add(new Rfm.Metrics((long) i, frequencies[i], BigDecimal.valueOf(10L * (i + 1))));
        }
        return customers;
    }

    @Test
    void eachBoundaryKnowsWhichPartOfItsTieLiesBelowTheCut() {
        Rfm.Boundaries b = Rfm.boundaries(twenty(), TODAY);
        assertArrayEquals(new double[] {1, 2, 2, 3}, b.frequency());
        // cut 1 at position 4 of the seven 1s: 4/7; cut 2 at 8, one into the five 2s: 1/5;
        // cut 3 at 12, the end of the 2s: all; cut 4 at 16, the end of the 3s: all
        assertArrayEquals(new double[] {4.0 / 7, 0.2, 1, 1}, b.frequencyShare(), 1e-12);
        // distinct values: every cut takes its whole (one-customer) tie
        assertArrayEquals(new double[] {1, 1, 1, 1}, b.monetaryShare(), 1e-12);
    }

    @Test
    void aTiedCustomerIsScoredByTheirPositionInTheTie() {
        Rfm.Boundaries b = Rfm.boundaries(twenty(), TODAY);
        assertEquals(1, f(1, b, 0.5));
        assertEquals(2, f(1, b, 0.6), "0.6 >= 4/7: above the first cut");
        assertEquals(2, f(2, b, 0.1));
        assertEquals(3, f(2, b, 0.3), "0.3 >= 0.2: above the second cut, never the third (share 1)");
        assertEquals(3, f(2, b, 0.99));
        assertEquals(4, f(3, b, 0.99), "the fourth cut takes all the 3s");
        assertEquals(5, f(5, b, 0));
        // without a tie position ties take the lower score, as before
        assertEquals(1, f(1, b, 0));
        assertEquals(2, f(2, b, 0));
    }

    private static int f(long frequency, Rfm.Boundaries b, double tiePosition) {
        return Rfm.score(new Rfm.Metrics(5L, frequency, BigDecimal.TEN), b, tiePosition).orElseThrow().f();
    }

    @Test
    void thirtyFivePercentOneOrderBuyersNoLongerCrowdTheLowestScore() {
        // 1,000 buyers: 350 with one order, then 2..6 orders in equal groups of 130
        List<Rfm.Metrics> customers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            long frequency = i < 350 ? 1 : 2 + (i - 350) / 130;
            customers.add(new Rfm.Metrics(3L, frequency, BigDecimal.ONE));
        }
        Rfm.Boundaries b = Rfm.boundaries(customers, TODAY);
        int[] perScore = new int[6];
        for (int i = 0; i < customers.size(); i++) {
            perScore[Rfm.score(customers.get(i), b, Rfm.tiePosition("customer-" + i)).orElseThrow().f()]++;
        }
        // the one-order buyers span the first quintile and 150 of the second: about 200 F = 1, not 350
        for (int score = 1; score <= 5; score++) {
            assertTrue(Math.abs(perScore[score] - 200) <= 30, "F = " + score + ": " + perScore[score]);
        }
    }

    @Test
    void tiePositionsAreFixedAndSpreadOverZeroToOne() {
        assertEquals(Rfm.tiePosition("u-42"), Rfm.tiePosition("u-42"));
        double[] positions = IntStream.range(0, 10_000).mapToDouble(i -> Rfm.tiePosition("u-" + i)).toArray();
        for (double p : positions) {
            assertTrue(p >= 0 && p < 1);
        }
        long low = java.util.Arrays.stream(positions).filter(p -> p < 0.2).count();
        assertTrue(Math.abs(low - 2_000) < 150, "a fifth below 0.2: " + low);
    }

    @Test
    void boundariesAreRecomputedHourlyAndWhenTheCustomerBaseMovesByATenth() {
        Instant at = Instant.parse("2026-03-10T09:00:00Z");
        Rfm.Boundaries morning = Rfm.boundaries(IntStream.range(0, 200)
                .mapToObj(i -> new Rfm.Metrics((long) i % 30, 1 + i % 4, BigDecimal.valueOf(i))).toList(), TODAY);
        Duration hour = Duration.ofHours(1);
        assertTrue(Rfm.recomputeDue(null, null, 0, at, hour, 0.1), "none stored");
        assertFalse(Rfm.recomputeDue(morning, at, 200, at.plus(Duration.ofMinutes(59)), hour, 0.1));
        assertTrue(Rfm.recomputeDue(morning, at, 200, at.plus(hour), hour, 0.1), "at least hourly");
        assertFalse(Rfm.recomputeDue(morning, at, 219, at.plusSeconds(60), hour, 0.1), "9.5 % more: not yet");
        assertTrue(Rfm.recomputeDue(morning, at, 220, at.plusSeconds(60), hour, 0.1), "10 % more");
        assertTrue(Rfm.recomputeDue(morning, at, 4_338, at.plusSeconds(60), hour, 0.1), "the bulk import");
        assertTrue(Rfm.recomputeDue(morning, at, 180, at.plusSeconds(60), hour, 0.1), "10 % fewer");
    }

    @Test
    void everyoneIsRescoredOnANewDayAMovedBoundaryOrAMovedBaseButNotForShiftedShares() {
        Rfm.Boundaries b = Rfm.boundaries(twenty(), TODAY);
        Rfm.Boundaries sharesOnly = new Rfm.Boundaries(b.recency(), b.frequency(), b.monetary(), b.recencyShare(),
                new double[] {0.5, 0.4, 1, 1}, b.monetaryShare(), 21, TODAY);
        assertFalse(Rfm.rescoreAll(b, sharesOnly, 0.1));
        assertTrue(Rfm.rescoreAll(null, b, 0.1));
        assertTrue(Rfm.rescoreAll(b, new Rfm.Boundaries(b.recency(), b.frequency(), b.monetary(), b.recencyShare(),
                b.frequencyShare(), b.monetaryShare(), 20, TODAY.plusDays(1)), 0.1), "a new day");
        assertTrue(Rfm.rescoreAll(b, new Rfm.Boundaries(b.recency(), new double[] {1, 2, 3, 3}, b.monetary(),
                b.recencyShare(), b.frequencyShare(), b.monetaryShare(), 20, TODAY), 0.1), "a moved boundary");
        assertTrue(Rfm.rescoreAll(b, new Rfm.Boundaries(b.recency(), b.frequency(), b.monetary(), b.recencyShare(),
                b.frequencyShare(), b.monetaryShare(), 22, TODAY), 0.1), "a tenth more customers");
    }
}
