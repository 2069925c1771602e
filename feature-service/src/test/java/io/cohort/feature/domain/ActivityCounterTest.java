package io.cohort.feature.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActivityCounterTest {

    private static final Instant AT = Instant.parse("2026-05-20T23:30:00Z");

    private static EventEnvelope track(String event, Map<String, Object> properties) {
        return new EventEnvelope(1, "m", EventType.TRACK, "u", null, null, event, null, properties, null, null,
                AT, null, AT);
    }

    @Test
    void countsOnTheUtcDayOfTheEvent() {
        DailyActivity delivered = ActivityCounter.count(track(CanonicalEvents.EMAIL_DELIVERED, null), AT);
        assertEquals(LocalDate.parse("2026-05-20"), delivered.day());
        assertEquals(1, delivered.delivered());
        assertEquals(0, delivered.opened());
    }

    @Test
    void opensAndClicksCountButMachineOpensDoNot() {
        assertEquals(1, ActivityCounter.count(track(CanonicalEvents.EMAIL_OPENED, Map.of()), AT).opened());
        assertEquals(1, ActivityCounter.count(track(CanonicalEvents.EMAIL_OPENED, Map.of("machineOpen", false)), AT)
                .opened());
        assertTrue(ActivityCounter.count(track(CanonicalEvents.EMAIL_OPENED, Map.of("machineOpen", true)), AT)
                .isEmpty());
        assertEquals(1, ActivityCounter.count(track(CanonicalEvents.EMAIL_LINK_CLICKED, null), AT).clicked());
    }

    @Test
    void orderRevenueFallsBackToTotalThenZero() {
        DailyActivity withRevenue = ActivityCounter.count(
                track(CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 12.3, "total", 99)), AT);
        assertEquals(1, withRevenue.orders());
        assertEquals(new BigDecimal("12.3"), withRevenue.revenue());

        DailyActivity withTotal = ActivityCounter.count(
                track(CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", "12.3", "total", 40)), AT);
        assertEquals(new BigDecimal("40"), withTotal.revenue());

        DailyActivity withNothing = ActivityCounter.count(track(CanonicalEvents.ORDER_COMPLETED, null), AT);
        assertEquals(1, withNothing.orders());
        assertEquals(0, withNothing.revenue().signum());
    }

    @Test
    void otherEventsAndCallTypesCountNothing() {
        assertTrue(ActivityCounter.count(track(CanonicalEvents.PRODUCT_VIEWED, Map.of("revenue", 5)), AT).isEmpty());
        EventEnvelope identify = new EventEnvelope(1, "m", EventType.IDENTIFY, "u", null, null,
                CanonicalEvents.EMAIL_OPENED, null, null, Map.of("plan", "pro"), null, AT, null, AT);
        assertTrue(ActivityCounter.count(identify, AT).isEmpty());
    }
}
