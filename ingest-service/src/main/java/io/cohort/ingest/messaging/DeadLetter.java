package io.cohort.ingest.messaging;

import io.cohort.contracts.http.FieldViolation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A rejected call on {@code cohort.events.dlq.v1}, keyed by {@link #messageId}: what came in, where,
 * when, and every reason it was refused (the same pointers the caller got). The call is kept as
 * received except {@code context.ip}, which never reaches Kafka, and a {@code writeKey} (a secret). Owned by ingest-service: only
 * operators and replay tooling read it, no other service depends on its shape.
 */
public record DeadLetter(
        int schemaVersion,
        String messageId,
        Instant receivedAt,
        String endpoint,
        List<FieldViolation> errors,
        Object call) {

    public static final int SCHEMA_VERSION = 1;

    /**
     * @param call the raw call (parsed JSON, any shape); its own {@code messageId} is the key when
     *             it is a usable string, else a random id is generated
     */
    public static DeadLetter of(Object call, String endpoint, List<FieldViolation> errors, Instant receivedAt) {
        String messageId = null;
        if (call instanceof Map<?, ?> map && map.get("messageId") instanceof String s && !s.isBlank()
                && s.length() <= 255) {
            messageId = s;
        }
        return new DeadLetter(SCHEMA_VERSION, messageId != null ? messageId : UUID.randomUUID().toString(),
                receivedAt, endpoint, List.copyOf(errors), redacted(call));
    }

    /** A copy of the call without {@code context.ip} and {@code writeKey}; the caller's map is left untouched. */
    static Object redacted(Object call) {
        if (!(call instanceof Map<?, ?> map)) {
            return call;
        }
        Map<Object, Object> copy = new LinkedHashMap<>(map);
        copy.remove("writeKey");
        if (map.get("context") instanceof Map<?, ?> context && context.containsKey("ip")) {
            Map<Object, Object> contextCopy = new LinkedHashMap<>(context);
            contextCopy.remove("ip");
            copy.put("context", contextCopy);
        }
        return copy;
    }
}
