package io.cohort.ingest.domain;

import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import io.cohort.contracts.IsoInstants;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.http.FieldViolation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Turns one raw Segment-spec call (as parsed JSON) into a validated {@link EventEnvelope}, or the
 * list of everything wrong with it, each named by JSON pointer. Pure: the clock comes in as
 * {@code receivedAt}, ids from the given generator.
 */
public final class EventValidator {

    /** Events dated further ahead than this (after skew correction) are refused. */
    public static final Duration MAX_FUTURE_SKEW = Duration.ofDays(30);
    /**
     * No event happened before this (CDNOW-era order histories are from the 1990s); it also keeps
     * every instant inside what PostgreSQL and the consumers' date arithmetic can store.
     */
    public static final Instant MIN_TIMESTAMP = Instant.parse("1970-01-01T00:00:00Z");
    /** Client clocks ({@code timestamp}, {@code sentAt} before correction) must be before year 10000. */
    static final Instant MAX_CLIENT_TIME = Instant.parse("9999-12-31T23:59:59.999999999Z");
    static final int MAX_ID_LENGTH = 255;
    static final int MAX_EVENT_NAME_LENGTH = 200;
    /** Segment's limit for one call, measured on the call's JSON as received (compact UTF-8). */
    public static final int MAX_EVENT_BYTES = 32 * 1024;
    /** Prefix of the email-spec event names ({@code Email Opened}, {@code Email Link Clicked}, ...). */
    public static final String EMAIL_EVENT_PREFIX = "Email ";
    /**
     * Properties that identify the email an email event is about; one of them must be present
     * (non-blank). Segment's email spec uses {@code campaign_id}/{@code email_id}; ESP payloads
     * often carry the provider's {@code messageId}.
     */
    public static final List<String> EMAIL_ID_PROPERTIES =
            List.of("campaignId", "campaign_id", "emailId", "email_id", "messageId", "message_id");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final java.util.function.Supplier<String> messageIds;

    public EventValidator() {
        this(() -> UUID.randomUUID().toString());
    }

    public EventValidator(java.util.function.Supplier<String> messageIds) {
        this.messageIds = messageIds;
    }

    /**
     * @param raw          the call's JSON object
     * @param expectedType the type fixed by the endpoint ({@code /v1/track}), or null when the
     *                     call carries its own {@code type} (batch items)
     * @param pointer      JSON pointer of {@code raw} within the request body ("" for the root)
     * @param defaults     batch-level {@code context} merged under the call's own, may be empty
     */
    public ValidationResult validate(Map<String, Object> raw, EventType expectedType, String pointer,
            Map<String, Object> defaults, Instant receivedAt) {
        List<FieldViolation> errors = new ArrayList<>();
        if (raw == null) {
            errors.add(new FieldViolation(pointer.isEmpty() ? "/" : pointer, "must be a JSON object"));
            return ValidationResult.invalid(errors);
        }
        // serialise to measure only when the cheap bound does not already prove the call small enough
        int size = JsonSizeBound.of(raw, MAX_EVENT_BYTES) <= MAX_EVENT_BYTES ? 0 : serializedSize(raw);
        if (size > MAX_EVENT_BYTES) {
            errors.add(new FieldViolation(pointer.isEmpty() ? "/" : pointer,
                    "is " + size + " bytes; a call may be at most " + MAX_EVENT_BYTES + " bytes (32 KB)"));
            return ValidationResult.invalid(errors);
        }
        // NUL in any string or key, non-finite numbers: nothing downstream can store them
        StorableValues.check(raw, pointer, errors);
        EventType type = expectedType != null ? expectedType : type(raw, pointer, errors);

        String messageId = optionalString(raw, "messageId", pointer, errors, MAX_ID_LENGTH);
        String userId = optionalId(raw, "userId", pointer, errors);
        String anonymousId = optionalId(raw, "anonymousId", pointer, errors);
        if (userId == null && anonymousId == null && !hasError(errors, pointer + "/userId")
                && !hasError(errors, pointer + "/anonymousId")) {
            errors.add(new FieldViolation(pointer + "/userId", "userId or anonymousId is required"));
        }
        if (type == EventType.ALIAS && userId == null && !hasError(errors, pointer + "/userId")) {
            errors.add(new FieldViolation(pointer + "/userId", "is required for alias calls"));
        }
        String previousId = optionalId(raw, "previousId", pointer, errors);
        if (type == EventType.ALIAS && previousId == null && !hasError(errors, pointer + "/previousId")) {
            errors.add(new FieldViolation(pointer + "/previousId", "is required for alias calls"));
        }
        String accountId = optionalId(raw, "groupId", pointer, errors);
        String event = optionalString(raw, "event", pointer, errors, MAX_EVENT_NAME_LENGTH);
        if (type == EventType.TRACK && (event == null || event.isBlank()) && !hasError(errors, pointer + "/event")) {
            errors.add(new FieldViolation(pointer + "/event", "is required for track calls"));
        }
        if (type == EventType.GROUP && accountId == null && !hasError(errors, pointer + "/groupId")) {
            errors.add(new FieldViolation(pointer + "/groupId", "is required for group calls"));
        }
        String name = optionalString(raw, "name", pointer, errors, MAX_EVENT_NAME_LENGTH);
        Map<String, Object> properties = optionalObject(raw, "properties", pointer, errors);
        Map<String, Object> traits = optionalObject(raw, "traits", pointer, errors);
        Map<String, Object> context = optionalObject(raw, "context", pointer, errors);
        if (properties != null && properties.containsKey("revenue") && !(properties.get("revenue") instanceof Number)) {
            errors.add(new FieldViolation(pointer + "/properties/revenue", "must be a number"));
        }
        if (event != null && event.startsWith(EMAIL_EVENT_PREFIX) && !hasEmailId(properties)
                && !hasError(errors, pointer + "/properties")) {
            errors.add(new FieldViolation(pointer + "/properties/campaignId",
                    "email events must carry a campaign or message id (one of " + String.join(", ", EMAIL_ID_PROPERTIES)
                            + ")"));
        }
        if (type == EventType.IDENTIFY) {
            traits = withContextTraits(traits, context);
        }
        if (accountId == null && context != null && context.get("groupId") instanceof String g && !g.isBlank()) {
            accountId = g;
        }
        Instant timestamp = optionalInstant(raw, "timestamp", pointer, errors);
        Instant sentAt = optionalInstant(raw, "sentAt", pointer, errors);

        if (!errors.isEmpty()) {
            return ValidationResult.invalid(errors);
        }
        Instant corrected = correctedTimestamp(timestamp, sentAt, receivedAt);
        if (corrected.isAfter(receivedAt.plus(MAX_FUTURE_SKEW))) {
            errors.add(new FieldViolation(pointer + "/timestamp",
                    "is more than " + MAX_FUTURE_SKEW.toDays() + " days in the future"));
            return ValidationResult.invalid(errors);
        }
        if (corrected.isBefore(MIN_TIMESTAMP)) {
            errors.add(new FieldViolation(pointer + "/timestamp",
                    "is before " + MIN_TIMESTAMP + " (after clock-skew correction with sentAt)"));
            return ValidationResult.invalid(errors);
        }
        if (type == EventType.ALIAS) {
            // the envelope has no previousId field: it travels in properties, Segment's alias semantics intact
            Map<String, Object> withPrevious = new LinkedHashMap<>();
            if (properties != null) {
                withPrevious.putAll(properties);
            }
            withPrevious.put("previousId", previousId);
            properties = withPrevious;
        }
        return ValidationResult.valid(new EventEnvelope(
                EventEnvelope.SCHEMA_VERSION,
                messageId != null ? messageId : messageIds.get(),
                type,
                userId,
                anonymousId,
                accountId,
                event,
                name,
                properties,
                traits,
                withoutIp(merge(defaults, context)),
                corrected,
                sentAt,
                receivedAt));
    }

    /**
     * RudderStack's libraries send identify traits in {@code context.traits} (Segment's put them at
     * the top level): read them from there too; on a conflict the top-level trait wins.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withContextTraits(Map<String, Object> traits, Map<String, Object> context) {
        if (context == null || !(context.get("traits") instanceof Map<?, ?> contextTraits) || contextTraits.isEmpty()) {
            return traits;
        }
        Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) contextTraits);
        if (traits != null) {
            merged.putAll(traits);
        }
        return merged;
    }

    /**
     * Segment's clock-skew correction: the client's clock may be off, but the gap between when
     * the event happened and when the client sent it is right, so shift by the server's receipt.
     */
    static Instant correctedTimestamp(Instant timestamp, Instant sentAt, Instant receivedAt) {
        if (timestamp == null) {
            return receivedAt;
        }
        if (sentAt == null) {
            return timestamp;
        }
        return receivedAt.minus(Duration.between(timestamp, sentAt));
    }

    /** Bytes of the call as compact UTF-8 JSON, what a Segment library measures against 32 KB. */
    static int serializedSize(Map<String, Object> raw) {
        try {
            return JSON.writeValueAsBytes(raw).length;
        } catch (JsonProcessingException e) {
            // parsed JSON always serializes; count its text form as a fallback
            return raw.toString().getBytes(StandardCharsets.UTF_8).length;
        }
    }

    private static boolean hasEmailId(Map<String, Object> properties) {
        if (properties == null) {
            return false;
        }
        for (String field : EMAIL_ID_PROPERTIES) {
            Object value = properties.get(field);
            if (value instanceof Number || (value instanceof String s && !s.isBlank())) {
                return true;
            }
        }
        return false;
    }

    private static EventType type(Map<String, Object> raw, String pointer, List<FieldViolation> errors) {
        Object value = raw.get("type");
        if (value == null) {
            errors.add(new FieldViolation(pointer + "/type", "is required"));
            return null;
        }
        if (value instanceof String s) {
            for (EventType t : EventType.values()) {
                if (t.wireName().equals(s.toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
        }
        errors.add(new FieldViolation(pointer + "/type", "must be one of track, identify, page, screen, group, alias"));
        return null;
    }

    private static String optionalString(Map<String, Object> raw, String field, String pointer,
            List<FieldViolation> errors, int maxLength) {
        Object value = raw.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            errors.add(new FieldViolation(pointer + "/" + field, "must be a string"));
            return null;
        }
        if (s.length() > maxLength) {
            errors.add(new FieldViolation(pointer + "/" + field, "must be at most " + maxLength + " characters"));
            return null;
        }
        return s;
    }

    /** Ids may be strings or integers (Segment accepts both); blank strings count as absent. */
    private static String optionalId(Map<String, Object> raw, String field, String pointer, List<FieldViolation> errors) {
        Object value = raw.get(field);
        if (value instanceof Number n && !(value instanceof Double || value instanceof Float)) {
            return n.toString();
        }
        String s = optionalString(raw, field, pointer, errors, MAX_ID_LENGTH);
        return s == null || s.isBlank() ? null : s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> optionalObject(Map<String, Object> raw, String field, String pointer,
            List<FieldViolation> errors) {
        Object value = raw.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        errors.add(new FieldViolation(pointer + "/" + field, "must be a JSON object"));
        return null;
    }

    private static Instant optionalInstant(Map<String, Object> raw, String field, String pointer,
            List<FieldViolation> errors) {
        Object value = raw.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            Instant instant;
            try {
                instant = IsoInstants.parseOffsetDateTime(s);
            } catch (DateTimeParseException e) {
                instant = null;
            }
            if (instant != null && (instant.isBefore(MIN_TIMESTAMP) || instant.isAfter(MAX_CLIENT_TIME))) {
                errors.add(new FieldViolation(pointer + "/" + field,
                        "must be between " + MIN_TIMESTAMP + " and year 9999"));
                return null;
            }
            if (instant != null) {
                return instant;
            }
        }
        errors.add(new FieldViolation(pointer + "/" + field, "must be an ISO-8601 date-time with offset"));
        return null;
    }

    private static Map<String, Object> merge(Map<String, Object> defaults, Map<String, Object> own) {
        if ((defaults == null || defaults.isEmpty()) && own == null) {
            return null;
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        if (defaults != null) {
            merged.putAll(defaults);
        }
        if (own != null) {
            merged.putAll(own);
        }
        return merged;
    }

    /** The IP address is personal data Cohort has no use for; it never reaches Kafka. */
    private static Map<String, Object> withoutIp(Map<String, Object> context) {
        if (context != null) {
            context.remove("ip");
        }
        return context;
    }

    private static boolean hasError(List<FieldViolation> errors, String pointer) {
        return errors.stream().anyMatch(e -> e.pointer().equals(pointer));
    }
}
