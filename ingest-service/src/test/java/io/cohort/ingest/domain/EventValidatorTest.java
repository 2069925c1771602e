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
    void batchAcceptsTheValidCallsAndReportsTheInvalidOnesByIndex() {
        var batch = new BatchValidator(validator);
        var result = batch.validate(call("batch", List.of(
                call("type", "track", "userId", "u", "event", "ok"),
                call("type", "track", "userId", "u"),
                call("type", "bogus", "userId", "u"))), NOW);
        assertFalse(result.isValid());
        assertFalse(result.nothingAcceptable());
        assertEquals(1, result.envelopes().size());
        assertEquals(List.of(1, 2), result.rejected().stream().map(BatchValidator.RejectedCall::index).toList());
        assertEquals(List.of("/batch/1/event", "/batch/2/type"),
                result.allErrors().stream().map(FieldViolation::pointer).toList());
    }

    @Test
    void aBatchOfOnlyInvalidCallsHasNothingAcceptable() {
        var result = new BatchValidator(validator).validate(call("batch", List.of(call("type", "track"), "x")), NOW);
        assertTrue(result.nothingAcceptable());
        assertEquals(List.of("/batch/0/userId", "/batch/0/event", "/batch/1"),
                result.allErrors().stream().map(FieldViolation::pointer).toList());
    }

    @Test
    void aCallOver32KbIsRefusedAtItsPointer() {
        String big = "x".repeat(EventValidator.MAX_EVENT_BYTES);
        var result = validator.validate(call("userId", "u", "event", "e", "properties", call("blob", big)),
                EventType.TRACK, "/batch/7", Map.of(), NOW);
        assertEquals(List.of("/batch/7"), pointers(result));
        assertTrue(result.errors().get(0).message().contains("32768"), result.errors().toString());
        var single = validator.validate(call("userId", "u", "event", "e", "properties", call("blob", big)),
                EventType.TRACK, "", Map.of(), NOW);
        assertEquals(List.of("/"), pointers(single));
        var justUnder = validator.validate(call("userId", "u", "event", "e", "properties",
                call("blob", "x".repeat(EventValidator.MAX_EVENT_BYTES - 100))), EventType.TRACK, "", Map.of(), NOW);
        assertTrue(justUnder.isValid(), justUnder.errors().toString());
    }

    @Test
    void emailEventsMustCarryACampaignOrMessageId() {
        var missing = validator.validate(call("userId", "u", "event", "Email Opened", "properties", call("subject", "Hi")),
                EventType.TRACK, "", Map.of(), NOW);
        assertEquals(List.of("/properties/campaignId"), pointers(missing));
        var noProperties = validator.validate(call("userId", "u", "event", "Email Bounced"), EventType.TRACK, "",
                Map.of(), NOW);
        assertEquals(List.of("/properties/campaignId"), pointers(noProperties));
        var blank = validator.validate(call("userId", "u", "event", "Email Sent", "properties", call("campaignId", " ")),
                EventType.TRACK, "", Map.of(), NOW);
        assertFalse(blank.isValid());
        for (String field : EventValidator.EMAIL_ID_PROPERTIES) {
            var ok = validator.validate(call("userId", "u", "event", "Email Link Clicked", "properties", call(field, "e-1")),
                    EventType.TRACK, "", Map.of(), NOW);
            assertTrue(ok.isValid(), field);
        }
        var notEmail = validator.validate(call("userId", "u", "event", "Emailed Friend"), EventType.TRACK, "", Map.of(), NOW);
        assertTrue(notEmail.isValid());
    }

    @Test
    void aliasNeedsAUserIdAndAPreviousIdWhichTravelsInProperties() {
        var ok = validator.validate(call("userId", "u1", "previousId", "anon-7", "properties", call("source", "signup")),
                EventType.ALIAS, "", Map.of(), NOW);
        assertTrue(ok.isValid(), ok.errors().toString());
        assertEquals(EventType.ALIAS, ok.envelope().type());
        assertEquals("u1", ok.envelope().subscriberKey());
        assertEquals("anon-7", ok.envelope().properties().get("previousId"));
        assertEquals("signup", ok.envelope().properties().get("source"));
        var missing = validator.validate(call("anonymousId", "a"), EventType.ALIAS, "", Map.of(), NOW);
        assertEquals(List.of("/userId", "/previousId"), pointers(missing));
        var batchItem = validator.validate(call("type", "alias", "userId", "u1", "previousId", 42), null, "/batch/0",
                Map.of(), NOW);
        assertEquals("42", batchItem.envelope().properties().get("previousId"));
    }

    @Test
    void screenCallsAreAccepted() {
        var result = validator.validate(call("userId", "u", "name", "Home"), EventType.SCREEN, "", Map.of(), NOW);
        assertEquals(EventType.SCREEN, result.envelope().type());
        assertEquals("Home", result.envelope().name());
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

    @Test
    void identifyReadsRudderStackTraitsFromContextAndTopLevelTraitsWin() {
        var rudder = validator.validate(call("userId", "u", "context", call("traits", call("plan", "pro", "city", "Oslo"))),
                EventType.IDENTIFY, "", Map.of(), NOW);
        assertEquals(Map.of("plan", "pro", "city", "Oslo"), rudder.envelope().traits());
        var both = validator.validate(call("userId", "u", "traits", call("plan", "free"),
                "context", call("traits", call("plan", "pro", "city", "Oslo"))), EventType.IDENTIFY, "", Map.of(), NOW);
        assertEquals(Map.of("plan", "free", "city", "Oslo"), both.envelope().traits());
        var track = validator.validate(call("userId", "u", "event", "e", "context", call("traits", call("plan", "pro"))),
                EventType.TRACK, "", Map.of(), NOW);
        assertNull(track.envelope().traits(), "only identify calls set profile traits");
    }
}
