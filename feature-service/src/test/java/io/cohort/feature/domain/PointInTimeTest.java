package io.cohort.feature.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.FeatureNames;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PointInTimeTest {

    private static final Instant AS_OF = Instant.parse("2026-03-10T15:00:00Z");
    private static final Instant CUTOFF = Instant.parse("2026-03-10T00:00:00Z");
    private static final LocalDate DAY = LocalDate.parse("2026-03-10");

    private static DailyActivity day(LocalDate day, long opened, long clicked, long orders, long unsubscribes) {
        return new DailyActivity(day, 0, opened, clicked, orders, BigDecimal.valueOf(10 * orders), 0, 0, 0, 0,
                unsubscribes, 0, 0, 0);
    }

    @Test
    void cutoffIsTheStartOfTheUtcDay() {
        assertEquals(CUTOFF, PointInTime.cutoff(AS_OF));
        assertEquals(CUTOFF, PointInTime.cutoff(CUTOFF));
    }

    @Test
    void featuresUseOnlyDaysBeforeTheCutoffDayAndNothingAfterChangesThem() {
        List<DailyActivity> history = new ArrayList<>(List.of(day(DAY.minusDays(1), 2, 1, 1, 0),
                day(DAY.minusDays(29), 1, 0, 0, 0), day(DAY.minusDays(30), 5, 5, 5, 0)));
        Instant firstSeen = CUTOFF.minusSeconds(86_400L * 40);
        Map<String, Double> before = PointInTime.features(history, firstSeen, null, null, null, CUTOFF);
        // the window of 30 days ends on the day before the cutoff: days -1 .. -30
        assertEquals(8.0, before.get(FeatureNames.EMAILS_OPENED_30D));
        assertEquals(6.0, before.get(FeatureNames.ORDERS_90D));
        assertEquals(39.0, before.get(FeatureNames.TENURE_DAYS), "40 days minus the last millisecond");
        PointInTime.NOT_POINT_IN_TIME.forEach(name -> assertFalse(before.containsKey(name), name));
        for (String name : List.of(FeatureNames.EMAIL_CONSENT, FeatureNames.SUPPRESSED)) {
            assertFalse(before.containsKey(name), "consent not given: " + name);
        }

        history.add(day(DAY, 7, 7, 7, 1));
        history.add(day(DAY.plusDays(3), 7, 7, 7, 1));
        Map<String, Double> after = PointInTime.features(history, firstSeen, CUTOFF.plusSeconds(5), null, null,
                CUTOFF);
        assertEquals(before, after);
    }

    @Test
    void daysSinceTheLastOpenClickAndOrderComeFromTheDailyRowsBeforeTheCutoff() {
        List<DailyActivity> history = new ArrayList<>(List.of(day(DAY.minusDays(5), 1, 0, 0, 0),
                day(DAY.minusDays(12), 3, 1, 0, 0), day(DAY.minusDays(30), 0, 4, 2, 0),
                day(DAY.minusDays(40), 9, 9, 9, 0)));
        Instant firstSeen = CUTOFF.minusSeconds(86_400L * 60);
        Map<String, Double> f = PointInTime.features(history, firstSeen, null, null, null, CUTOFF);
        // the vector of the cutoff's last millisecond, on the day before the cutoff day
        assertEquals(4.0, f.get(FeatureNames.DAYS_SINCE_LAST_OPEN));
        assertEquals(11.0, f.get(FeatureNames.DAYS_SINCE_LAST_CLICK));
        assertEquals(29.0, f.get(FeatureNames.DAYS_SINCE_LAST_ORDER));
        // equal to what the live calculator says at that moment with the exact event times
        Instant lastOpen = CUTOFF.minusSeconds(86_400L * 5 - 3_600 * 20);
        Instant lastClick = CUTOFF.minusSeconds(86_400L * 12 - 60);
        Instant lastOrder = CUTOFF.minusSeconds(86_400L * 30 - 86_399);
        var live = new FeatureCalculator().computeFor(history, new SubscriberState(firstSeen, lastOpen, lastClick,
                lastOrder, false, false, false, true), CUTOFF.minusMillis(1));
        for (String name : List.of(FeatureNames.DAYS_SINCE_LAST_OPEN, FeatureNames.DAYS_SINCE_LAST_CLICK,
                FeatureNames.DAYS_SINCE_LAST_ORDER, FeatureNames.TENURE_DAYS)) {
            assertEquals(live.get(name), f.get(name), name);
        }

        // events on the cutoff day and after change none of them
        history.add(day(DAY, 1, 1, 1, 0));
        history.add(day(DAY.plusDays(2), 1, 1, 1, 0));
        assertEquals(f, PointInTime.features(history, firstSeen, null, null, null, CUTOFF));
        // never opened, clicked or ordered before the cutoff: absent
        Map<String, Double> none = PointInTime.features(List.of(day(DAY, 1, 1, 1, 0)), firstSeen, null, null, null,
                CUTOFF);
        assertFalse(none.containsKey(FeatureNames.DAYS_SINCE_LAST_OPEN));
        assertFalse(none.containsKey(FeatureNames.DAYS_SINCE_LAST_CLICK));
        assertFalse(none.containsKey(FeatureNames.DAYS_SINCE_LAST_ORDER));
    }

    @Test
    void daysSinceReachBeyondTheWindowsWithOlderDailyRowsButNeverPastTheCutoff() {
        Instant firstSeen = CUTOFF.minusSeconds(86_400L * 700);
        List<DailyActivity> window = List.of(day(DAY.minusDays(3), 0, 1, 0, 0));
        // an open 500 days back (outside every window), an order on the cutoff day (must not count)
        var earlier = new PointInTime.LastDays(DAY.minusDays(500), DAY.minusDays(20), DAY);
        Map<String, Double> f = PointInTime.features(window,
                new PointInTime.Facts(firstSeen, null, null, null, true, earlier), null, CUTOFF);
        assertEquals(499.0, f.get(FeatureNames.DAYS_SINCE_LAST_OPEN));
        assertEquals(2.0, f.get(FeatureNames.DAYS_SINCE_LAST_CLICK), "the window's later click wins");
        assertFalse(f.containsKey(FeatureNames.DAYS_SINCE_LAST_ORDER), "a day on or after the cutoff day is ignored");
    }

    @Test
    void rfmScoresAreThoseOfTheGivenBoundariesAndOnlyDaysBeforeTheCutoffCount() {
        // ten customers as of the cutoff's eve: recency 10..19 days, one order each, 1 to 10 currency units
        Rfm.Boundaries eve = Rfm.boundaries(java.util.stream.IntStream.range(0, 10)
                .mapToObj(i -> new Rfm.Metrics(10L + i, 1, BigDecimal.valueOf(1 + i))).toList(), DAY.minusDays(1));
        List<DailyActivity> history = new ArrayList<>(List.of(day(DAY.minusDays(1), 0, 0, 3, 0)));
        Instant firstSeen = CUTOFF.minusSeconds(86_400L * 60);
        var facts = new PointInTime.Facts(firstSeen, null, null, null, true, PointInTime.LastDays.NONE);
        Map<String, Double> f = PointInTime.features(history, facts, eve, CUTOFF);
        // recency 0 (ordered on the eve), 3 orders, 30 units: the best quintile on each
        assertEquals(5.0, f.get(FeatureNames.RFM_R_SCORE));
        assertEquals(5.0, f.get(FeatureNames.RFM_F_SCORE));
        assertEquals(5.0, f.get(FeatureNames.RFM_M_SCORE));
        // the same as the live calculator scoring that day's vector with those boundaries
        var live = new FeatureCalculator().compute(history, new SubscriberState(firstSeen, null, null,
                CUTOFF.minusSeconds(3_600), false, false, false, true),
                new FeatureCalculator.Context(eve, null, null, null, null), CUTOFF.minusMillis(1)).features();
        assertEquals(live.get(FeatureNames.RFM_R_SCORE), f.get(FeatureNames.RFM_R_SCORE));
        assertEquals(live.get(FeatureNames.RFM_M_SCORE), f.get(FeatureNames.RFM_M_SCORE));
        // orders on the cutoff day and after change nothing
        history.add(day(DAY, 0, 0, 50, 0));
        assertEquals(f, PointInTime.features(history, facts, eve, CUTOFF));
        // without boundaries (no customers before the cutoff) there are no scores
        assertFalse(PointInTime.features(history, firstSeen, null, null, null, CUTOFF)
                .containsKey(FeatureNames.RFM_R_SCORE));
    }

    @Test
    void emailConsentAndSuppressionAreThoseAtTheCutoff() {
        Instant firstSeen = CUTOFF.minusSeconds(86_400L * 10);
        var revoked = PointInTime.features(List.of(), new PointInTime.Facts(firstSeen, null, null, null, false,
                PointInTime.LastDays.NONE), null, CUTOFF);
        assertEquals(0.0, revoked.get(FeatureNames.EMAIL_CONSENT));
        assertEquals(1.0, revoked.get(FeatureNames.SUPPRESSED), "no consent suppresses");
        var granted = PointInTime.features(List.of(), new PointInTime.Facts(firstSeen, null, null, null, true,
                PointInTime.LastDays.NONE), null, CUTOFF);
        assertEquals(1.0, granted.get(FeatureNames.EMAIL_CONSENT));
        assertEquals(0.0, granted.get(FeatureNames.SUPPRESSED));
        // granted, but unsubscribed before the cutoff: suppressed all the same
        var unsubscribed = PointInTime.features(List.of(), new PointInTime.Facts(firstSeen, CUTOFF.minusSeconds(5),
                null, null, true, PointInTime.LastDays.NONE), null, CUTOFF);
        assertEquals(1.0, unsubscribed.get(FeatureNames.SUPPRESSED));
        var unknown = PointInTime.features(List.of(), new PointInTime.Facts(firstSeen, null, null, null, null,
                PointInTime.LastDays.NONE), null, CUTOFF);
        assertFalse(unknown.containsKey(FeatureNames.EMAIL_CONSENT));
        assertFalse(unknown.containsKey(FeatureNames.SUPPRESSED));
    }

    @Test
    void suppressionCountsOnlyWhenItHappenedBeforeTheCutoff() {
        Instant firstSeen = CUTOFF.minusSeconds(86_400L);
        var f = PointInTime.features(List.of(), firstSeen, CUTOFF.minusSeconds(1), CUTOFF, null, CUTOFF);
        assertEquals(1.0, f.get(FeatureNames.UNSUBSCRIBED));
        assertEquals(0.0, f.get(FeatureNames.COMPLAINED));
        assertEquals(0.0, f.get(FeatureNames.HARD_BOUNCED));
    }

    @Test
    void labelsLookOnlyAtTheHorizonDays() {
        List<DailyActivity> days = List.of(day(DAY.minusDays(1), 1, 1, 1, 1), day(DAY.plusDays(7), 1, 1, 1, 1));
        for (PointInTime.Label label : List.of(PointInTime.Label.CLICKED, PointInTime.Label.ORDERED,
                PointInTime.Label.UNSUBSCRIBED)) {
            assertFalse(PointInTime.label(label, days, CUTOFF, 7), label.name());
            assertTrue(PointInTime.label(label, days, CUTOFF, 8), label.name());
        }
        assertTrue(PointInTime.label(PointInTime.Label.CHURNED, days, CUTOFF, 7));
        assertFalse(PointInTime.label(PointInTime.Label.CHURNED, days, CUTOFF, 8));
        // an open alone is not churn; a click alone is
        assertFalse(PointInTime.label(PointInTime.Label.CHURNED, List.of(day(DAY, 1, 0, 0, 0)), CUTOFF, 1));
        assertTrue(PointInTime.label(PointInTime.Label.CHURNED, List.of(day(DAY, 0, 1, 0, 0)), CUTOFF, 1));
        assertTrue(PointInTime.label(PointInTime.Label.ORDERED, List.of(day(DAY, 0, 0, 1, 0)), CUTOFF, 1));
    }

    @Test
    void labelsParseIgnoringCase() {
        assertEquals(PointInTime.Label.CHURNED, PointInTime.Label.parse(" Churned").orElseThrow());
        assertTrue(PointInTime.Label.parse("opened").isEmpty());
        assertTrue(PointInTime.Label.parse(null).isEmpty());
        assertEquals("clicked", PointInTime.Label.CLICKED.wireName());
    }
}
