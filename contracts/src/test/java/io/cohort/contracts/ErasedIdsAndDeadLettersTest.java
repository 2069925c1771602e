package io.cohort.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ErasedIdsAndDeadLettersTest {

    @Test
    void anErasedIdHashIsStableHexAndHoldsNoTraceOfTheId() {
        String hash = ErasedIds.hash("alice@example.com");
        assertEquals(64, hash.length());
        assertTrue(hash.matches("[0-9a-f]{64}"));
        assertEquals(hash, ErasedIds.hash("alice@example.com"));
        assertNotEquals(hash, ErasedIds.hash("alice@example.co"));
        assertTrue(!hash.contains("alice"));
    }

    @Test
    void deadLetterHeadersSayWhereTheRecordCameFromAndWhyItFailed() {
        var cause = new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021");
        var error = new IllegalStateException("apply failed", cause);
        var headers = DeadLetterHeaders.of("feature-service", Topics.EVENTS, 3, 1234L, error,
                Instant.parse("2026-12-07T10:00:00Z"));
        assertEquals("cohort.events.v1", text(headers.get(DeadLetterHeaders.TOPIC)));
        assertEquals("3", text(headers.get(DeadLetterHeaders.PARTITION)));
        assertEquals("1234", text(headers.get(DeadLetterHeaders.OFFSET)));
        assertEquals("feature-service", text(headers.get(DeadLetterHeaders.SERVICE)));
        assertEquals("2026-12-07T10:00:00Z", text(headers.get(DeadLetterHeaders.FAILED_AT)));
        String described = text(headers.get(DeadLetterHeaders.ERROR));
        assertTrue(described.startsWith("java.lang.IllegalStateException <- java.sql.SQLException: invalid byte"),
                described);
    }

    @Test
    void theErrorIsCutToSizeAndNeverCarriesANul() {
        String described = DeadLetterHeaders.describe(new RuntimeException("a\u0000b" + "x".repeat(5000)));
        assertEquals(DeadLetterHeaders.MAX_ERROR_CHARS, described.length());
        assertTrue(described.indexOf('\u0000') < 0);
    }

    @Test
    void everyConsumingServiceHasItsOwnDeadLetterTopic() {
        assertEquals("cohort.feature-service.dlq.v1", Topics.FEATURE_SERVICE_DLQ);
        assertEquals("cohort.model-service.dlq.v1", Topics.MODEL_SERVICE_DLQ);
        assertEquals("cohort.segment-service.dlq.v1", Topics.SEGMENT_SERVICE_DLQ);
        assertTrue(Topics.ALL.stream().anyMatch(t -> t.name().equals(Topics.SEGMENT_SERVICE_DLQ) && !t.compacted()));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
