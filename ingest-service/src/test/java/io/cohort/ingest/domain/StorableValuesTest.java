package io.cohort.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.EventType;
import io.cohort.contracts.http.FieldViolation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values no consumer can store (NUL, non-finite numbers, instants out of range) are refused by pointer. */
class StorableValuesTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private final EventValidator validator = new EventValidator(() -> "generated-id");

    private static Map<String, Object> call(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private ValidationResult track(Map<String, Object> call) {
        return validator.validate(call, EventType.TRACK, "", Map.of(), NOW);
    }

    private static List<String> pointers(ValidationResult result) {
        return result.errors().stream().map(FieldViolation::pointer).toList();
    }

    @Test
    void aNulAnywhereInACallIsRefusedAtItsPointer() {
        var result = track(call("userId", "a\u0000b", "event", "E\u0000", "properties",
                call("n", "a\u0000b", "list", List.of("ok", call("deep", "x\u0000")), "k\u0000/~", 1),
                "context", call("page", call("url", "\u0000"))));
        assertEquals(List.of("/userId", "/event", "/properties/n", "/properties/list/1/deep",
                "/properties/k\u0000~1~0", "/context/page/url"), pointers(result));
        assertTrue(result.errors().get(0).message().contains("U+0000"), result.errors().toString());
    }

    @Test
    void anUnpairedSurrogateIsRefusedAndAPairIsFine() {
        var result = track(call("userId", "u", "event", "e", "properties",
                call("lone", "a\ud800b", "trailing", "x\udc00", "emoji", "\ud83d\ude00 ok")));
        assertEquals(List.of("/properties/lone", "/properties/trailing"), pointers(result));
        assertTrue(track(call("userId", "u", "event", "\ud83d\ude00")).isValid());
    }

    @Test
    void traitsAndBatchContextAreCheckedToo() {
        var identify = validator.validate(call("userId", "u", "traits", call("name", "A\u0000")), EventType.IDENTIFY,
                "/batch/2", Map.of(), NOW);
        assertEquals(List.of("/batch/2/traits/name"), pointers(identify));
        var batch = new BatchValidator(validator).validate(call("context", call("locale", "en\u0000"),
                "batch", List.of(call("type", "track", "userId", "u", "event", "e"))), NOW);
        assertEquals(List.of("/context/locale"), batch.errors().stream().map(FieldViolation::pointer).toList());
    }

    @Test
    void nonFiniteNumbersAreRefusedWhereverTheyAre() {
        var result = track(call("userId", "u", "event", "Order Completed", "properties",
                call("revenue", Double.POSITIVE_INFINITY, "tax", Double.NaN,
                        "huge", new BigInteger("1" + "0".repeat(400)), "big", new BigDecimal("1e400"),
                        "items", List.of(call("price", Float.NEGATIVE_INFINITY)))));
        assertEquals(List.of("/properties/revenue", "/properties/tax", "/properties/huge", "/properties/big",
                "/properties/items/0/price"), pointers(result));
        var fine = track(call("userId", "u", "event", "Order Completed", "properties",
                call("revenue", new BigDecimal("1e300"), "n", Double.MAX_VALUE, "i", Long.MAX_VALUE)));
        assertTrue(fine.isValid(), fine.errors().toString());
    }

    @Test
    void timestampsBeforeTheEpochOrBeyondYear9999AreRefused() {
        assertEquals(List.of("/timestamp"), pointers(track(call("userId", "u", "event", "e",
                "timestamp", "-5000-01-01T00:00:00Z"))));
        assertEquals(List.of("/timestamp"), pointers(track(call("userId", "u", "event", "e",
                "timestamp", "1969-12-31T23:59:59Z"))));
        assertEquals(List.of("/sentAt"), pointers(track(call("userId", "u", "event", "e",
                "timestamp", "2026-05-01T00:00:00Z", "sentAt", "+10000-01-01T00:00:00Z"))));
        // skew correction that lands before 1970 is refused too
        assertEquals(List.of("/timestamp"), pointers(track(call("userId", "u", "event", "e",
                "timestamp", "1970-01-02T00:00:00Z", "sentAt", "2030-01-01T00:00:00Z"))));
        var cdnow = track(call("userId", "u", "event", "e", "timestamp", "1997-01-01T00:00:00Z"));
        assertTrue(cdnow.isValid(), cdnow.errors().toString());
        assertEquals(List.of("/timestamp"), pointers(track(call("userId", "u", "event", "e",
                "timestamp", NOW.plusSeconds(31L * 86_400).toString()))));
    }

    @Test
    void aConsentBodyWithANulIsRefusedAtTheBodysPointer() {
        var result = ConsentCalls.of("u", call("channel", "email", "status", "granted", "source", "form\u0000"), "m");
        assertEquals(List.of("/source"), result.errors().stream().map(FieldViolation::pointer).toList());
    }
}
