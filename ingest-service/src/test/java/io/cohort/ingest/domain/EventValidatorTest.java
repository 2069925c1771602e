package io.cohort.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.EventType;
import io.cohort.contracts.http.FieldViolation;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventValidatorTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private final EventValidator validator = new EventValidator(() -> "generated-id");

    private static Map<String, Object> call(Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private List<String> pointers(ValidationResult result) {
        return result.errors().stream().map(FieldViolation::pointer).toList();
    }

    @Test
    void acceptsATrackCallAndKeepsItsFields() {
        var result = validator.validate(call("messageId", "m1", "userId", "u1", "event", "Email Opened",
                "properties", call("campaignId", "c1"), "timestamp", "2026-05-30T10:00:00Z"),
                EventType.TRACK, "", Map.of(), NOW);
        assertTrue(result.isValid(), result.errors().toString());
        assertEquals("m1", result.envelope().messageId());
        assertEquals("u1", result.envelope().subscriberKey());
        assertEquals(Instant.parse("2026-05-30T10:00:00Z"), result.envelope().timestamp());
        assertEquals(NOW, result.envelope().receivedAt());
    }

    @Test
    void namesEveryBadFieldByPointer() {
        var result = validator.validate(call("userId", List.of(1), "event", 7, "properties", "x",
                "timestamp", "yesterday"), EventType.TRACK, "", Map.of(), NOW);
        assertFalse(result.isValid());
        assertEquals(List.of("/userId", "/event", "/properties", "/timestamp"), pointers(result));
    }

    @Test
    void requiresAnIdentityAndAnEventName() {
        var result = validator.validate(call(), EventType.TRACK, "/batch/4", Map.of(), NOW);
        assertEquals(List.of("/batch/4/userId", "/batch/4/event"), pointers(result));
    }

    @Test
    void revenueMustBeNumeric() {
        var result = validator.validate(call("userId", "u", "event", "Order Completed",
                "properties", call("revenue", "12.50")), EventType.TRACK, "", Map.of(), NOW);
        assertEquals(List.of("/properties/revenue"), pointers(result));
    }

    @Test
    void correctsClientClockSkewWithSentAt() {
        // client clock is 2 hours fast: it says it sent at 14:00 an event from 13:55; we received at 12:00
        var result = validator.validate(call("userId", "u", "event", "Product Viewed",
                "timestamp", "2026-06-01T13:55:00Z", "sentAt", "2026-06-01T14:00:00Z"),
                EventType.TRACK, "", Map.of(), NOW);
        assertEquals(Instant.parse("2026-06-01T11:55:00Z"), result.envelope().timestamp());
    }

    @Test
    void refusesEventsMoreThanThirtyDaysAhead() {
        var result = validator.validate(call("userId", "u", "event", "x", "timestamp", "2026-07-15T00:00:00Z"),
                EventType.TRACK, "", Map.of(), NOW);
        assertEquals(List.of("/timestamp"), pointers(result));
    }

    @Test
    void generatesAMessageIdWhenAbsentAndDropsTheIpAddress() {
        var result = validator.validate(call("anonymousId", "a", "context", call("ip", "10.0.0.1", "timezone", "UTC")),
                EventType.PAGE, "", Map.of(), NOW);
        assertEquals("generated-id", result.envelope().messageId());
        assertNull(result.envelope().context().get("ip"));
        assertEquals("UTC", result.envelope().context().get("timezone"));
    }

    @Test
    void batchReportsInvalidCallsByIndexAndAcceptsNone() {
        var batch = new BatchValidator(validator);
        var result = batch.validate(call("batch", List.of(
                call("type", "track", "userId", "u", "event", "ok"),
                call("type", "track", "userId", "u"),
                call("type", "bogus", "userId", "u"))), NOW);
        assertFalse(result.isValid());
        assertTrue(result.envelopes().isEmpty());
        assertEquals(List.of("/batch/1/event", "/batch/2/type"),
                result.errors().stream().map(FieldViolation::pointer).toList());
    }

    @Test
    void batchSizeIsBounded() {
        var calls = new java.util.ArrayList<Object>();
        for (int i = 0; i <= BatchValidator.MAX_EVENTS; i++) {
            calls.add(call("type", "track", "userId", "u", "event", "e"));
        }
        var result = new BatchValidator(validator).validate(call("batch", calls), NOW);
        assertEquals("/batch", result.errors().get(0).pointer());
    }
}
