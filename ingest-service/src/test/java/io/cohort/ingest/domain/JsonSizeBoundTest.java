package io.cohort.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonSizeBoundTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Object> parse(String json) throws Exception {
        return JSON.readValue(json, new TypeReference<>() {
        });
    }

    private static int exact(Object value) throws Exception {
        return JSON.writeValueAsBytes(value).length;
    }

    @Test
    void theBoundIsNeverBelowTheCompactUtf8Size() throws Exception {
        List<String> samples = List.of(
                "{}",
                "{\"a\":null,\"b\":true,\"c\":false,\"d\":[],\"e\":{}}",
                "{\"userId\":\"u1\",\"event\":\"Order Completed\",\"properties\":{\"revenue\":12.5,\"n\":-9223372036854775808}}",
                "{\"x\":1e300,\"y\":-1.2345678901234567E-300,\"z\":123456789012345678901234567890}",
                "{\"q\":\"\\\"quoted\\\" \\\\ back\\u0001\\u001f\\n\\t\",\"k\\u0002\":\"\\u00e9\\u4e2d\\ud83d\\ude00\"}",
                "{\"list\":[1,[2,[3,{\"deep\":[\"\\u0000\",null,false]}]]],\"big\":1.000000000000000000000000000001}");
        for (String sample : samples) {
            Map<String, Object> parsed = parse(sample);
            long bound = JsonSizeBound.of(parsed, Long.MAX_VALUE - 1);
            assertTrue(bound >= exact(parsed), sample + ": bound " + bound + " < " + exact(parsed));
        }
        Map<String, Object> decimals = new LinkedHashMap<>();
        decimals.put("d", new BigDecimal("1E+400"));
        decimals.put("l", Long.MIN_VALUE);
        decimals.put("f", -Double.MIN_VALUE);
        assertTrue(JsonSizeBound.of(decimals, Long.MAX_VALUE - 1) >= exact(decimals));
    }

    @Test
    void aTypicalCallIsProvedSmallAndAHugeOneIsNot() throws Exception {
        Map<String, Object> call = parse("{\"userId\":\"u1\",\"event\":\"Email Opened\",\"properties\":{\"campaign_id\":\"c\"},"
                + "\"context\":{\"library\":{\"name\":\"analytics-node\",\"version\":\"1.0\"}}}");
        assertTrue(JsonSizeBound.of(call, EventValidator.MAX_EVENT_BYTES) <= EventValidator.MAX_EVENT_BYTES);
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            many.add("value " + i);
        }
        call.put("traits", Map.of("many", many));
        assertTrue(JsonSizeBound.of(call, EventValidator.MAX_EVENT_BYTES) > EventValidator.MAX_EVENT_BYTES);
    }

    @Test
    void somethingThatIsNotParsedJsonIsUnknown() {
        assertEquals(JsonSizeBound.UNKNOWN, JsonSizeBound.of(Map.of("when", new Object()), 100));
        assertEquals(JsonSizeBound.UNKNOWN, JsonSizeBound.of(Map.of(1, "x"), 100));
    }
}
