package io.cohort.ingest.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import io.cohort.devstack.DevStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written envelope JSON is byte for byte what the service's own object mapper writes. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class EnvelopeJsonTest {

    @Inject
    ObjectMapper mapper;

    @Test
    void everyShapeOfEnvelopeIsWrittenAsTheMapperWritesIt() throws Exception {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("name", "analytics-java");
        nested.put("version", "3.5.1");
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("revenue", 129.5);
        properties.put("quantity", 3);
        properties.put("big", new BigInteger("123456789012345678901234567890"));
        properties.put("exact", new BigDecimal("0.10"));
        properties.put("long", 9_000_000_000L);
        properties.put("flag", true);
        properties.put("nothing", null);
        properties.put("float", 1.5f);
        properties.put("text", "ünïcødé \"quoted\" \\ \n tab\t </script>");
        properties.put("products", new ArrayList<>(List.of(Map.of("sku", "a"), List.of(1, "two", false))));
        properties.put("library", nested);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("library", nested);
        context.put("timezone", "Europe/Paris");
        Instant now = Instant.parse("2026-12-05T08:00:00.123456789Z");
        List<EventEnvelope> envelopes = Arrays.asList(
                new EventEnvelope(1, "m-1", EventType.TRACK, "u-1", null, "acct", "Order Completed", null, properties,
                        null, context, now, now.minusSeconds(1), now.plusNanos(1000)),
                new EventEnvelope(1, "m-2", EventType.IDENTIFY, null, "anon", null, null, null, null,
                        Map.of("plan", "pro"), null, Instant.parse("2026-12-05T08:00:00Z"), null, now),
                new EventEnvelope(1, "m-3", EventType.PAGE, "u-3", "a-3", null, null, "Pricing", Map.of(), Map.of(),
                        Map.of(), now, now, now));
        EnvelopeJson json = new EnvelopeJson(mapper);
        for (EventEnvelope envelope : envelopes) {
            assertEquals(new String(mapper.writeValueAsBytes(envelope), StandardCharsets.UTF_8),
                    new String(json.write(envelope), StandardCharsets.UTF_8));
        }
    }
}
