package io.cohort.ingest.domain.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvRowsTest {

    @Test
    void anEventRowBecomesATrackCallWithTypedProperties() {
        List<String> header = List.of("userId", "event", "timestamp", "properties.revenue", "coupon", "flag:boolean");
        var mapped = CsvRows.map(CsvRows.Kind.EVENTS, header,
                List.of("u1", "Order Completed", "2024-05-01T10:00:00Z", "12.50", "SPRING", "yes"), "imp-1-2");
        assertNull(mapped.error());
        Map<String, Object> call = mapped.calls().get(0);
        assertEquals("track", call.get("type"));
        assertEquals("imp-1-2", call.get("messageId"));
        assertEquals(Map.of("revenue", new BigDecimal("12.50"), "coupon", "SPRING", "flag", true), call.get("properties"));
    }

    @Test
    void aSubscriberRowIsAnIdentifyPlusOneConsentEventPerChannel() {
        List<String> header = List.of("id", "plan", "consent.email", "timestamp");
        var mapped = CsvRows.map(CsvRows.Kind.SUBSCRIBERS, header, List.of("s1", "gold", "revoked", "2024-01-01T00:00:00Z"),
                "imp-1-3");
        assertNull(mapped.error());
        assertEquals(2, mapped.calls().size());
        assertEquals(Map.of("plan", "gold"), mapped.calls().get(0).get("traits"));
        assertEquals("Consent Updated", mapped.calls().get(1).get("event"));
        assertEquals(false, ((Map<?, ?>) mapped.calls().get(1).get("properties")).get("granted"));
        assertNotNull(CsvRows.map(CsvRows.Kind.SUBSCRIBERS, header, List.of("s1", "gold", "maybe", ""), "x").error());
    }

    @Test
    void wrongColumnCountsAndUnusableHeadersAreRefused() {
        assertEquals("has 2 columns; the header has 3",
                CsvRows.map(CsvRows.Kind.EVENTS, List.of("userId", "event", "x"), List.of("u", "e"), "m").error());
        assertNotNull(CsvRows.checkHeader(CsvRows.Kind.SUBSCRIBERS, List.of("email", "plan")));
        assertNotNull(CsvRows.checkHeader(CsvRows.Kind.EVENTS, List.of("userId", "userId")));
        assertNull(CsvRows.checkHeader(CsvRows.Kind.EVENTS, List.of("anonymous_id", "event")));
    }
}
