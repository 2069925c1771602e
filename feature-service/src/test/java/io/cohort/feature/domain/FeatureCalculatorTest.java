package io.cohort.feature.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.FeatureNames;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureCalculatorTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final LocalDate TODAY = LocalDate.parse("2026-06-01");
    private final FeatureCalculator calculator = new FeatureCalculator();

    private static DailyActivity emails(LocalDate day, long delivered, long opened, long clicked) {
        return new DailyActivity(day, delivered, opened, clicked, 0, BigDecimal.ZERO);
    }

    private static DailyActivity orders(LocalDate day, long orders, String revenue) {
        return new DailyActivity(day, 0, 0, 0, orders, new BigDecimal(revenue));
    }

    @Test
    void emailWindowIncludesTwentyNineDaysAgoButNotThirty() {
        var features = calculator.compute(List.of(
                emails(TODAY.minusDays(29), 1, 1, 1),
                emails(TODAY.minusDays(30), 10, 10, 10)), null, NOW);
        assertEquals(1.0, features.get(FeatureNames.EMAILS_DELIVERED_30D));
        assertEquals(1.0, features.get(FeatureNames.EMAILS_OPENED_30D));
        assertEquals(1.0, features.get(FeatureNames.EMAILS_CLICKED_30D));
    }

    @Test
    void todayCountsAndTheFutureDoesNot() {
        var features = calculator.compute(List.of(
                emails(TODAY, 2, 0, 0),
                emails(TODAY.plusDays(1), 5, 0, 0)), null, NOW);
        assertEquals(2.0, features.get(FeatureNames.EMAILS_DELIVERED_30D));
    }

    @Test
    void purchaseWindowIncludesEightyNineDaysAgoButNotNinety() {
        var features = calculator.compute(List.of(
                orders(TODAY.minusDays(89), 1, "10.25"),
                orders(TODAY.minusDays(45), 2, "4.75"),
                orders(TODAY.minusDays(90), 7, "1000")), null, NOW);
        assertEquals(3.0, features.get(FeatureNames.ORDERS_90D));
        assertEquals(15.0, features.get(FeatureNames.REVENUE_90D));
    }

    @Test
    void windowsFollowTheUtcDayNotTwentyFourHourSpans() {
        // 23:59 UTC: the day 29 days back still counts although it began almost 30 x 24 h ago
        Instant lateToday = Instant.parse("2026-06-01T23:59:00Z");
        var features = calculator.compute(List.of(emails(TODAY.minusDays(29), 1, 0, 0)), null, lateToday);
        assertEquals(1.0, features.get(FeatureNames.EMAILS_DELIVERED_30D));
        // just after midnight the window has moved on
        var nextDay = calculator.compute(List.of(emails(TODAY.minusDays(29), 1, 0, 0)), null,
                Instant.parse("2026-06-02T00:00:01Z"));
        assertEquals(0.0, nextDay.get(FeatureNames.EMAILS_DELIVERED_30D));
    }

    @Test
    void neverOpenedLeavesDaysSinceLastOpenAbsent() {
        Map<String, Double> features = calculator.compute(List.of(emails(TODAY, 3, 0, 0)), null, NOW);
        assertFalse(features.containsKey(FeatureNames.DAYS_SINCE_LAST_OPEN));
        assertEquals(5, features.size(), features.toString());
    }

    @Test
    void daysSinceLastOpenIsWholeDaysRoundedDown() {
        Instant open = NOW.minus(Duration.ofDays(3)).minus(Duration.ofHours(23));
        var features = calculator.compute(List.of(), open, NOW);
        assertEquals(3.0, features.get(FeatureNames.DAYS_SINCE_LAST_OPEN));
        var sameDay = calculator.compute(List.of(), NOW.minus(Duration.ofHours(23)), NOW);
        assertEquals(0.0, sameDay.get(FeatureNames.DAYS_SINCE_LAST_OPEN));
    }

    @Test
    void anOpenDatedAfterNowCountsAsToday() {
        var features = calculator.compute(List.of(), NOW.plus(Duration.ofDays(2)), NOW);
        assertEquals(0.0, features.get(FeatureNames.DAYS_SINCE_LAST_OPEN));
    }

    @Test
    void everyFeatureIsNamedInTheContract() {
        var features = calculator.compute(List.of(), NOW.minus(Duration.ofDays(1)), NOW);
        assertEquals(FeatureNames.ALL.size(), features.size());
        assertTrue(FeatureNames.ALL.containsAll(features.keySet()), features.keySet().toString());
    }
}
