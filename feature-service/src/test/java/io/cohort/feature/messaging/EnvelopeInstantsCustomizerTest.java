package io.cohort.feature.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cohort.contracts.IsoInstants;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The customizer's Instant deserializer must read exactly what jsr310's reads, and refuse what it refuses. */
class EnvelopeInstantsCustomizerTest {

    private static final long MIN = OffsetDateTime.parse("0000-01-01T00:00:00Z").toEpochSecond();
    private static final long MAX = OffsetDateTime.parse("9999-12-31T23:59:59Z").toEpochSecond();

    @Test
    void jacksonDeserializerReadsWhatJsr310ReadsAndRejectsWhatItRejects() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper plain = new com.fasterxml.jackson.databind.ObjectMapper()
                .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());
        com.fasterxml.jackson.databind.ObjectMapper fast = new com.fasterxml.jackson.databind.ObjectMapper()
                .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule()
                        .addDeserializer(Instant.class, EnvelopeInstantsCustomizer.INSTANTS));
        Random random = new Random(3);
        List<String> values = new java.util.ArrayList<>(List.of("\"2024-01-31T10:15:30Z\"", "\" 2024-01-31T10:15:30.5Z \"",
                "\"2024-01-31T10:15:30.123456+02:00\"", "1706696130", "1706696130.25", "\"2024-02-30T00:00:00Z\"",
                "\"not a date\"", "null"));
        for (int i = 0; i < 2_000; i++) {
            values.add("\"" + IsoInstants.format(Instant.ofEpochSecond(MIN + (long) (random.nextDouble() * (MAX - MIN)),
                    random.nextBoolean() ? 0 : random.nextInt(1_000_000_000))) + "\"");
        }
        for (String json : values) {
            Instant expected;
            try {
                expected = plain.readValue(json, Instant.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class,
                        () -> fast.readValue(json, Instant.class), json);
                continue;
            }
            assertEquals(expected, fast.readValue(json, Instant.class), json);
        }
    }
}
