package io.cohort.ingest.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.http.FieldViolation;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void keepsTheCallWithoutItsIpAndLeavesTheOriginalAlone() {
        Map<String, Object> context = new HashMap<>(Map.of("ip", "192.0.2.1", "timezone", "UTC"));
        Map<String, Object> call = new HashMap<>(Map.of("messageId", "m-1", "event", "x", "context", context,
                "writeKey", "ck_secret"));
        var letter = DeadLetter.of(call, "/v1/track", List.of(new FieldViolation("/userId", "is required")), NOW);
        assertEquals(1, letter.schemaVersion());
        assertEquals("m-1", letter.messageId());
        assertEquals("/v1/track", letter.endpoint());
        assertEquals(NOW, letter.receivedAt());
        assertEquals("/userId", letter.errors().get(0).pointer());
        Map<?, ?> kept = (Map<?, ?>) letter.call();
        Map<?, ?> keptContext = (Map<?, ?>) kept.get("context");
        assertFalse(keptContext.containsKey("ip"));
        assertEquals("UTC", keptContext.get("timezone"));
        assertFalse(kept.containsKey("writeKey"), "the write key is a secret");
        assertEquals("x", kept.get("event"));
        assertTrue(context.containsKey("ip"), "the caller's map is not modified");
        assertTrue(call.containsKey("writeKey"));
    }

    @Test
    void generatesAnIdWhenTheCallHasNoUsableMessageId() {
        var noId = DeadLetter.of(Map.of("event", "x"), "/v1/track", List.of(), NOW);
        assertNotNull(noId.messageId());
        var notAString = DeadLetter.of(Map.of("messageId", 5), "/v1/track", List.of(), NOW);
        assertFalse(notAString.messageId().equals("5"));
        var notAnObject = DeadLetter.of("just a string", "/v1/batch", List.of(), NOW);
        assertEquals("just a string", notAnObject.call());
    }
}
