package io.cohort.ingest.domain;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.http.FieldViolation;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@code PUT /v1/subscribers/{id}/consent} body ({@code channel}, {@code status} granted or
 * revoked, optional {@code source} and {@code timestamp}) into the {@code Consent Updated} track
 * call feature-service folds: {@code properties.channel} (lower case) and boolean
 * {@code properties.granted}, plus {@code status} and {@code source}. Pure.
 */
public final class ConsentCalls {

    static final int MAX_CHANNEL = 50;
    static final int MAX_SOURCE = 200;

    private ConsentCalls() {
    }

    /** Either the track call (as a raw call map) or the errors by JSON pointer. */
    public record Result(Map<String, Object> call, List<FieldViolation> errors) {
        public boolean isValid() {
            return errors.isEmpty();
        }
    }

    public static Result of(String subscriberId, Map<String, Object> body, String messageId) {
        List<FieldViolation> errors = new ArrayList<>();
        if (body == null) {
            return new Result(null, List.of(new FieldViolation("/", "must be a JSON object")));
        }
        StorableValues.check(body, "", errors);
        String channel = null;
        if (!(body.get("channel") instanceof String c) || c.isBlank()) {
            errors.add(new FieldViolation("/channel", "is required (e.g. email, sms, push)"));
        } else if (c.length() > MAX_CHANNEL) {
            errors.add(new FieldViolation("/channel", "must be at most " + MAX_CHANNEL + " characters"));
        } else {
            channel = c.trim().toLowerCase(Locale.ROOT);
        }
        Boolean granted = null;
        if (!(body.get("status") instanceof String s)) {
            errors.add(new FieldViolation("/status", "is required: granted or revoked"));
        } else if (s.equals("granted") || s.equals("revoked")) {
            granted = s.equals("granted");
        } else {
            errors.add(new FieldViolation("/status", "must be granted or revoked"));
        }
        String source = null;
        if (body.containsKey("source") && body.get("source") != null) {
            if (!(body.get("source") instanceof String s) || s.length() > MAX_SOURCE) {
                errors.add(new FieldViolation("/source", "must be a string of at most " + MAX_SOURCE + " characters"));
            } else {
                source = s;
            }
        }
        String timestamp = null;
        if (body.get("timestamp") != null) {
            if (!(body.get("timestamp") instanceof String t)) {
                errors.add(new FieldViolation("/timestamp", "must be an ISO-8601 date-time with offset"));
            } else {
                try {
                    timestamp = OffsetDateTime.parse(t).toInstant().toString();
                } catch (DateTimeParseException e) {
                    errors.add(new FieldViolation("/timestamp", "must be an ISO-8601 date-time with offset"));
                }
            }
        }
        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("channel", channel);
        properties.put("granted", granted);
        properties.put("status", granted ? "granted" : "revoked");
        if (source != null) {
            properties.put("source", source);
        }
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("type", "track");
        call.put("messageId", messageId);
        call.put("userId", subscriberId);
        call.put("event", CanonicalEvents.CONSENT_UPDATED);
        call.put("properties", properties);
        if (timestamp != null) {
            call.put("timestamp", timestamp);
        }
        return new Result(call, List.of());
    }
}
