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
    void thirtyDayAndLifetimeOrderTotals() {
        FeatureCalculator.Context earlier = new FeatureCalculator.Context(null, null, null, null, null, 0,
                new OrderTotals(40, new BigDecimal("1234.50")));
        var features = calculator.compute(List.of(
                orders(TODAY, 1, "5"),
                orders(TODAY.minusDays(29), 2, "20.25"),
                orders(TODAY.minusDays(30), 3, "100"),
                orders(TODAY.minusDays(364), 1, "1"),
                orders(TODAY.plusDays(1), 9, "900")), new SubscriberState(null, null, null, null, false, false, false,
                true), earlier, NOW).features();
        // 30 days: today and 29 days ago; not 30 days ago, not tomorrow
        assertEquals(3.0, features.get(FeatureNames.ORDERS_30D));
        assertEquals(25.25, features.get(FeatureNames.REVENUE_30D));
        // lifetime: the 40 orders before the given days plus every given day up to today
        assertEquals(47.0, features.get(FeatureNames.ORDERS_TOTAL));
        assertEquals(1360.75, features.get(FeatureNames.REVENUE_TOTAL));
        var none = calculator.compute(List.of(), new SubscriberState(null, null, null, null, false, false, false, true),
                FeatureCalculator.Context.NONE, NOW).features();
        assertEquals(0.0, none.get(FeatureNames.ORDERS_TOTAL));
        assertEquals(0.0, none.get(FeatureNames.REVENUE_30D));
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
        // the five first-release features besides it are always present
        assertTrue(features.keySet().containsAll(List.of(FeatureNames.EMAILS_DELIVERED_30D,
                FeatureNames.EMAILS_OPENED_30D, FeatureNames.EMAILS_CLICKED_30D, FeatureNames.ORDERS_90D,
                FeatureNames.REVENUE_90D)), features.toString());
    }

    @Test
    void daysSinceLastOpenCountsUtcCalendarDays() {
        // NOW is 2026-06-01 12:00 UTC; an open on 2026-05-28 at 13:00 is 3 days 23 hours earlier but 4 UTC days
        Instant open = NOW.minus(Duration.ofDays(3)).minus(Duration.ofHours(23));
        var features = calculator.compute(List.of(), open, NOW);
        assertEquals(4.0, features.get(FeatureNames.DAYS_SINCE_LAST_OPEN));
        // 23 hours earlier is yesterday (2026-05-31 13:00)
        var yesterday = calculator.compute(List.of(), NOW.minus(Duration.ofHours(23)), NOW);
        assertEquals(1.0, yesterday.get(FeatureNames.DAYS_SINCE_LAST_OPEN));
        // the first instant of the same UTC day is today
        var sameDay = calculator.compute(List.of(), Instant.parse("2026-06-01T00:00:00Z"), NOW);
        assertEquals(0.0, sameDay.get(FeatureNames.DAYS_SINCE_LAST_OPEN));
        // so the value changes at UTC midnight, when the daily sweep recomputes, not at the open's time of day
        var justBeforeMidnight = calculator.compute(List.of(), open, Instant.parse("2026-06-01T23:59:59Z"));
        assertEquals(4.0, justBeforeMidnight.get(FeatureNames.DAYS_SINCE_LAST_OPEN));
        var justAfterMidnight = calculator.compute(List.of(), open, Instant.parse("2026-06-02T00:00:00Z"));
        assertEquals(5.0, justAfterMidnight.get(FeatureNames.DAYS_SINCE_LAST_OPEN));
    }

    @Test
    void anOpenDatedAfterNowCountsAsToday() {
        var features = calculator.compute(List.of(), NOW.plus(Duration.ofDays(2)), NOW);
        assertEquals(0.0, features.get(FeatureNames.DAYS_SINCE_LAST_OPEN));
    }

    @Test
    void everyFeatureIsNamedInTheContract() {
        Instant dayAgo = NOW.minus(Duration.ofDays(1));
        SubscriberState state = new SubscriberState(dayAgo, dayAgo, dayAgo, dayAgo, false, false, false, true);
        var features = calculator.computeFor(List.of(orders(TODAY, 1, "5")), state, NOW);
        assertTrue(FeatureNames.ALL.containsAll(features.keySet()), features.keySet().toString());
        // with RFM boundaries, sends, a device and an account, every named feature is present
        Rfm.Boundaries boundaries = Rfm.boundaries(List.of(new Rfm.Metrics(0L, 1, BigDecimal.ONE)), TODAY);
        AccountRollup account = new AccountRollup("acme", 1, true, 1, 0, Map.of(), 0, BigDecimal.ZERO);
        var full = calculator.compute(List.of(orders(TODAY, 1, "5").withDevices(1, 0)), state,
                new FeatureCalculator.Context(boundaries, 0, account, "acme", "UTC"), NOW).features();
        assertEquals(FeatureNames.ALL.size(), full.size());
        assertTrue(FeatureNames.ALL.containsAll(full.keySet()), full.keySet().toString());
    }

    private static DailyActivity full(LocalDate day, long n) {
        // every counter = n, revenue = 10 * n
        return new DailyActivity(day, n, n, n, n, BigDecimal.valueOf(10 * n), n, n, n, n, n, n, n, n);
    }

    private static final SubscriberState NOBODY = new SubscriberState(null, null, null, null, false, false, false,
            true);

    @Test
    void sevenThirtyNinetyAndYearWindowsAtTheirBoundaries() {
        var f = calculator.computeFor(List.of(
                full(TODAY, 1),
                full(TODAY.minusDays(6), 2),      // last day of the 7 d window
                full(TODAY.minusDays(7), 4),      // first day outside it
                full(TODAY.minusDays(29), 8),     // last day of 30 d
                full(TODAY.minusDays(30), 16),
                full(TODAY.minusDays(89), 32),    // last day of 90 d
                full(TODAY.minusDays(90), 64),
                full(TODAY.minusDays(364), 128),  // last day of 365 d
                full(TODAY.minusDays(365), 256)), NOBODY, NOW);
        assertEquals(3.0, f.get(FeatureNames.EMAILS_SENT_7D));
        assertEquals(15.0, f.get(FeatureNames.EMAILS_SENT_30D));
        assertEquals(63.0, f.get(FeatureNames.EMAILS_SENT_90D));
        assertEquals(3.0, f.get(FeatureNames.EMAILS_OPENED_7D));
        assertEquals(63.0, f.get(FeatureNames.EMAILS_OPENED_90D));
        assertEquals(3.0, f.get(FeatureNames.EMAILS_CLICKED_7D));
        assertEquals(63.0, f.get(FeatureNames.EMAILS_CLICKED_90D));
        assertEquals(3.0, f.get(FeatureNames.EMAILS_REPLIED_7D));
        assertEquals(15.0, f.get(FeatureNames.EMAILS_REPLIED_30D));
        assertEquals(63.0, f.get(FeatureNames.EMAILS_REPLIED_90D));
        assertEquals(15.0, f.get(FeatureNames.PAGE_VIEWS_30D));
        assertEquals(15.0, f.get(FeatureNames.PRICING_PAGE_VIEWS_30D));
        assertEquals(255.0, f.get(FeatureNames.ORDERS_365D));
        assertEquals(2550.0, f.get(FeatureNames.REVENUE_365D));
        assertEquals(10.0, f.get(FeatureNames.AVERAGE_ORDER_VALUE_365D));
        // the first-release features keep their meaning
        assertEquals(15.0, f.get(FeatureNames.EMAILS_DELIVERED_30D));
        assertEquals(63.0, f.get(FeatureNames.ORDERS_90D));
        assertEquals(630.0, f.get(FeatureNames.REVENUE_90D));
    }

    @Test
    void clickToOpenIsClicksOverOpensPerWindowWithinZeroAndOne() {
        var some = calculator.computeFor(List.of(
                emails(TODAY, 0, 4, 1),                      // 7, 30 and 90 d
                emails(TODAY.minusDays(7), 0, 4, 3),         // 30 and 90 d
                emails(TODAY.minusDays(30), 0, 2, 0),        // 90 d only
                emails(TODAY.minusDays(90), 0, 0, 9)),       // outside every window
                NOBODY, NOW);
        assertEquals(1.0 / 4, some.get(FeatureNames.CLICK_TO_OPEN_7D));
        assertEquals(4.0 / 8, some.get(FeatureNames.CLICK_TO_OPEN_30D));
        assertEquals(4.0 / 10, some.get(FeatureNames.CLICK_TO_OPEN_90D));
        // clicks without a tracked human open: each click implies an open, so the ratio is capped at 1
        var untrackedOpens = calculator.computeFor(List.of(emails(TODAY, 5, 0, 2), emails(TODAY, 0, 1, 0)),
                NOBODY, NOW);
        assertEquals(2.0 / 2, untrackedOpens.get(FeatureNames.CLICK_TO_OPEN_7D));
        var none = calculator.computeFor(List.of(emails(TODAY, 5, 0, 0)), NOBODY, NOW);
        assertEquals(0.0, none.get(FeatureNames.CLICK_TO_OPEN_30D));
        assertEquals(0.0, none.get(FeatureNames.CLICK_TO_OPEN_90D));
    }

    @Test
    void averageOrderValueIsAbsentWithoutOrdersAndExactWithThem() {
        var never = calculator.computeFor(List.of(), NOBODY, NOW);
        assertFalse(never.containsKey(FeatureNames.AVERAGE_ORDER_VALUE_365D));
        assertFalse(never.containsKey(FeatureNames.DAYS_SINCE_LAST_ORDER));
        assertFalse(never.containsKey(FeatureNames.DAYS_SINCE_LAST_CLICK));
        assertFalse(never.containsKey(FeatureNames.TENURE_DAYS));
        assertEquals(0.0, never.get(FeatureNames.ORDERS_365D));
        assertEquals(0.0, never.get(FeatureNames.REVENUE_365D));
        var three = calculator.computeFor(List.of(orders(TODAY.minusDays(200), 2, "10.10"),
                orders(TODAY.minusDays(10), 1, "0.20")), NOBODY, NOW);
        assertEquals(3.0, three.get(FeatureNames.ORDERS_365D));
        assertEquals(10.3, three.get(FeatureNames.REVENUE_365D), 1e-12);
        assertEquals(10.3 / 3, three.get(FeatureNames.AVERAGE_ORDER_VALUE_365D), 1e-12);
    }

    @Test
    void daysSinceClickOrderAndTenureCountUtcCalendarDays() {
        Instant firstSeen = NOW.minus(Duration.ofDays(400)).minus(Duration.ofHours(5));   // 07:00, 400 days back
        Instant click = NOW.minus(Duration.ofDays(6)).minus(Duration.ofHours(23));        // 13:00 the day before
        Instant order = NOW.minus(Duration.ofHours(2));                                    // today
        var f = calculator.computeFor(List.of(),
                new SubscriberState(firstSeen, null, click, order, false, false, false, true), NOW);
        assertEquals(400.0, f.get(FeatureNames.TENURE_DAYS));
        assertEquals(7.0, f.get(FeatureNames.DAYS_SINCE_LAST_CLICK));
        assertEquals(0.0, f.get(FeatureNames.DAYS_SINCE_LAST_ORDER));
        assertFalse(f.containsKey(FeatureNames.DAYS_SINCE_LAST_OPEN));
    }

    @Test
    void suppressionFlagsAndSuppressedIsTheirUnionWithRevokedConsent() {
        var clean = calculator.computeFor(List.of(), NOBODY, NOW);
        assertEquals(0.0, clean.get(FeatureNames.UNSUBSCRIBED));
        assertEquals(0.0, clean.get(FeatureNames.COMPLAINED));
        assertEquals(0.0, clean.get(FeatureNames.HARD_BOUNCED));
        assertEquals(1.0, clean.get(FeatureNames.EMAIL_CONSENT), "consent is assumed unless revoked");
        assertEquals(0.0, clean.get(FeatureNames.SUPPRESSED));
        for (SubscriberState suppressed : List.of(
                new SubscriberState(null, null, null, null, true, false, false, true),
                new SubscriberState(null, null, null, null, false, true, false, true),
                new SubscriberState(null, null, null, null, false, false, true, true),
                new SubscriberState(null, null, null, null, false, false, false, false))) {
            assertEquals(1.0, calculator.computeFor(List.of(), suppressed, NOW).get(FeatureNames.SUPPRESSED),
                    suppressed.toString());
        }
        var revoked = calculator.computeFor(List.of(), new SubscriberState(null, null, null, null, false, false, false,
                false), NOW);
        assertEquals(0.0, revoked.get(FeatureNames.EMAIL_CONSENT));
        assertEquals(0.0, revoked.get(FeatureNames.UNSUBSCRIBED));
        var complained = calculator.computeFor(List.of(), new SubscriberState(null, null, null, null, false, true,
                false, true), NOW);
        assertEquals(1.0, complained.get(FeatureNames.COMPLAINED));
        assertEquals(0.0, complained.get(FeatureNames.HARD_BOUNCED));
    }
}
