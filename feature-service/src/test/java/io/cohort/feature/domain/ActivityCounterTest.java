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
        assertTrue(ActivityCounter.count(track(CanonicalEvents.INTENT_SIGNAL, Map.of("revenue", 5)), AT).isEmpty());
        assertTrue(ActivityCounter.count(track(CanonicalEvents.CONSENT_UPDATED, Map.of("channel", "email")), AT)
                .isEmpty());
        EventEnvelope identify = new EventEnvelope(1, "m", EventType.IDENTIFY, "u", null, null,
                CanonicalEvents.EMAIL_OPENED, null, null, Map.of("plan", "pro"), null, AT, null, AT);
        assertTrue(ActivityCounter.count(identify, AT).isEmpty());
    }

    @Test
    void emailLifecycleEventsEachCountTheirOwnColumn() {
        assertEquals(1, ActivityCounter.count(track(CanonicalEvents.EMAIL_SENT, null), AT).sent());
        assertEquals(0, ActivityCounter.count(track(CanonicalEvents.EMAIL_SENT, null), AT).delivered());
        assertEquals(1, ActivityCounter.count(track(CanonicalEvents.EMAIL_REPLIED, null), AT).replied());
        // soft and hard bounces both count as bounces
        assertEquals(1, ActivityCounter.count(track(CanonicalEvents.EMAIL_BOUNCED, Map.of("bounceType", "soft")), AT)
                .bounced());
        assertEquals(1, ActivityCounter.count(track(CanonicalEvents.EMAIL_BOUNCED, null), AT).bounced());
        assertEquals(1, ActivityCounter.count(track(CanonicalEvents.EMAIL_MARKED_AS_SPAM, null), AT).complaints());
        assertEquals(1, ActivityCounter.count(track(CanonicalEvents.UNSUBSCRIBED, null), AT).unsubscribes());
        DailyActivity product = ActivityCounter.count(track(CanonicalEvents.PRODUCT_VIEWED, Map.of("revenue", 5)), AT);
        assertEquals(1, product.productViews());
        assertEquals(0, product.orders());
        assertEquals(0, product.revenue().signum());
    }

    private static EventEnvelope page(String name, Map<String, Object> properties) {
        return new EventEnvelope(1, "m", EventType.PAGE, "u", null, null, null, name, properties, null, null,
                AT, null, AT);
    }

    @Test
    void pageViewsCountAndPricingOrComparisonPagesAreRecognisedByNameCategoryOrUrl() {
        DailyActivity home = ActivityCounter.count(page("Home", Map.of("url", "https://shop.example/")), AT);
        assertEquals(1, home.pageViews());
        assertEquals(0, home.pricingPageViews());
        assertEquals(LocalDate.parse("2026-05-20"), home.day());

        assertEquals(1, ActivityCounter.count(page("Pricing", null), AT).pricingPageViews());
        assertEquals(1, ActivityCounter.count(page(null, Map.of("category", "Plan Comparison")), AT)
                .pricingPageViews());
        assertEquals(1, ActivityCounter.count(page("Docs", Map.of("url", "https://x.example/compare/a-vs-b")), AT)
                .pricingPageViews());
        assertEquals(1, ActivityCounter.count(page(null, Map.of("path", "/PRICING/teams")), AT).pricingPageViews());
        assertEquals(0, ActivityCounter.count(page("Blog", Map.of("title", "Our company", "url", "/blog")), AT)
                .pricingPageViews());
        // a page's numbers never count as email or order activity
        DailyActivity pricing = ActivityCounter.count(page("Pricing", Map.of("revenue", 9)), AT);
        assertEquals(0, pricing.orders());
        assertEquals(0, pricing.delivered());
    }
}
