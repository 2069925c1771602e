package io.cohort.ingest.messaging;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.IsoInstants;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes an {@link EventEnvelope} as the JSON the object mapper writes for it (same fields, order,
 * omitted nulls, ISO-8601 instants), straight onto a generator: the parsed JSON values of
 * {@code properties}, {@code traits} and {@code context} are streamed by type instead of going
 * through the mapper's bean and map serialisers, which dominated publishing's cost per event.
 * Values that are not parsed JSON (none come from the tracking API) fall back to the mapper.
 */
public final class EnvelopeJson {

    private final ObjectMapper mapper;

    public EnvelopeJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public byte[] write(EventEnvelope e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", e.schemaVersion());
            stringField(g, "messageId", e.messageId());
            if (e.type() != null) {
                g.writeStringField("type", e.type().wireName());
            }
            stringField(g, "userId", e.userId());
            stringField(g, "anonymousId", e.anonymousId());
            stringField(g, "accountId", e.accountId());
            stringField(g, "event", e.event());
            stringField(g, "name", e.name());
            mapField(g, "properties", e.properties());
            mapField(g, "traits", e.traits());
            mapField(g, "context", e.context());
            instantField(g, "timestamp", e.timestamp());
            instantField(g, "sentAt", e.sentAt());
            instantField(g, "receivedAt", e.receivedAt());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    private static void stringField(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void instantField(JsonGenerator g, String name, Instant value) throws IOException {
        if (value != null) {
            // what the mapper's InstantSerializer writes with WRITE_DATES_AS_TIMESTAMPS off (ISO_INSTANT)
            g.writeStringField(name, IsoInstants.format(value));
        }
    }

    private void mapField(JsonGenerator g, String name, Map<String, Object> value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            writeMap(g, value);
        }
    }

    private void writeMap(JsonGenerator g, Map<?, ?> map) throws IOException {
        g.writeStartObject();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            g.writeFieldName(String.valueOf(entry.getKey()));
            writeValue(g, entry.getValue());
        }
        g.writeEndObject();
    }

    private void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Map<?, ?> map) {
            writeMap(g, map);
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                writeValue(g, item);
            }
            g.writeEndArray();
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer i) {
            g.writeNumber(i);
        } else if (value instanceof Long l) {
            g.writeNumber(l);
        } else if (value instanceof Double d) {
            g.writeNumber(d);
        } else if (value instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (value instanceof BigDecimal b) {
            g.writeNumber(b);
        } else {
            // anything else (floats, shorts, dates in hand-built maps): exactly as the mapper writes it
            g.writeRawValue(mapper.writeValueAsString(value));
        }
    }
}
