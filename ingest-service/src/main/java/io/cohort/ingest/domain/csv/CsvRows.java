package io.cohort.ingest.domain.csv;

import io.cohort.contracts.CanonicalEvents;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps CSV rows to Segment calls (raw call maps, validated afterwards like any call). Pure.
 *
 * <p><b>events</b>: one call per row. Columns {@code type} (default track), {@code event},
 * {@code name}, {@code userId}, {@code anonymousId}, {@code messageId}, {@code timestamp},
 * {@code groupId} (snake_case spellings accepted); {@code properties.x}, {@code traits.x},
 * {@code context.x} go into that object; any other column is a property.
 *
 * <p><b>subscribers</b>: an {@code identify} per row keyed by {@code userId} (or {@code user_id},
 * {@code subscriberId}, {@code subscriber_id}, {@code id}), every other column a trait
 * ({@code traits.} prefix optional), {@code timestamp} the time; a {@code consent.<channel>} column
 * (granted/revoked, true/false, yes/no, 1/0) adds a {@code Consent Updated} event for that channel.
 *
 * <p>Values are strings; empty cells are left out. A column named {@code x:number} or
 * {@code x:boolean} is typed; {@code revenue}, {@code total}, {@code value}, {@code price} and
 * {@code quantity} are numbers when they read as one. Without a {@code messageId} column each call
 * gets {@code <base>-<line>} (stable, so a resumed import is deduplicated).
 */
public final class CsvRows {

    public enum Kind {
        SUBSCRIBERS, EVENTS;

        public static Kind parse(String value) {
            if (value == null) {
                return null;
            }
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "subscribers" -> SUBSCRIBERS;
                case "events" -> EVENTS;
                default -> null;
            };
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The calls of one row, or why the row is refused. */
    public record Mapped(List<Map<String, Object>> calls, String error) {
        static Mapped error(String message) {
            return new Mapped(List.of(), message);
        }
    }

    static final Set<String> ID_COLUMNS = Set.of("userId", "user_id", "subscriberId", "subscriber_id", "id");
    static final Set<String> NUMERIC = Set.of("revenue", "total", "value", "price", "quantity");

    private CsvRows() {
    }

    /** Null when the header can be used, else why not. */
    public static String checkHeader(Kind kind, List<String> header) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String column = header.get(i).trim();
            if (column.isEmpty()) {
                return "header column " + (i + 1) + " has no name";
            }
            if (column.indexOf('\u0000') >= 0) {
                return "header column " + (i + 1) + " contains the NUL character (U+0000)";
            }
            if (!seen.add(column)) {
                return "header column '" + column + "' appears twice";
            }
        }
        if (kind == Kind.SUBSCRIBERS && header.stream().map(String::trim).noneMatch(ID_COLUMNS::contains)) {
            return "a subscribers import needs a userId column (or user_id, subscriberId, subscriber_id, id)";
        }
        if (kind == Kind.EVENTS && header.stream().map(String::trim)
                .noneMatch(c -> c.equals("userId") || c.equals("user_id") || c.equals("anonymousId")
                        || c.equals("anonymous_id"))) {
            return "an events import needs a userId or anonymousId column";
        }
        return null;
    }

    /** Removes a UTF-8 byte order mark from the first header column. */
    public static List<String> cleanHeader(List<String> header) {
        List<String> clean = new ArrayList<>(header.size());
        for (String column : header) {
            clean.add((clean.isEmpty() && column.startsWith("\uFEFF") ? column.substring(1) : column).trim());
        }
        return clean;
    }

    public static Mapped map(Kind kind, List<String> header, List<String> values, String messageIdBase) {
        if (values.size() != header.size()) {
            return Mapped.error("has " + values.size() + " columns; the header has " + header.size());
        }
        return kind == Kind.EVENTS ? event(header, values, messageIdBase) : subscriber(header, values, messageIdBase);
    }

    private static Mapped event(List<String> header, List<String> values, String messageIdBase) {
        Map<String, Object> call = new LinkedHashMap<>();
        Map<String, Object> properties = new LinkedHashMap<>();
        Map<String, Object> traits = new LinkedHashMap<>();
        Map<String, Object> context = new LinkedHashMap<>();
        call.put("type", "track");
        for (int i = 0; i < header.size(); i++) {
            String raw = values.get(i);
            if (raw == null || raw.isEmpty()) {
                continue;
            }
            String column = header.get(i);
            String field = switch (column) {
                case "type", "event", "name", "timestamp" -> column;
                case "userId", "user_id" -> "userId";
                case "anonymousId", "anonymous_id" -> "anonymousId";
                case "messageId", "message_id" -> "messageId";
                case "groupId", "group_id" -> "groupId";
                default -> null;
            };
            if (field != null) {
                call.put(field, raw);
                continue;
            }
            Map<String, Object> target = properties;
            String name = column;
            if (column.startsWith("properties.")) {
                name = column.substring("properties.".length());
            } else if (column.startsWith("traits.")) {
                target = traits;
                name = column.substring("traits.".length());
            } else if (column.startsWith("context.")) {
                target = context;
                name = column.substring("context.".length());
            }
            Object value;
            try {
                value = typed(name, raw);
            } catch (IllegalArgumentException e) {
                return Mapped.error("column " + column + ": " + e.getMessage());
            }
            target.put(baseName(name), value);
        }
        call.putIfAbsent("messageId", messageIdBase);
        if (!properties.isEmpty()) {
            call.put("properties", properties);
        }
        if (!traits.isEmpty()) {
            call.put("traits", traits);
        }
        if (!context.isEmpty()) {
            call.put("context", context);
        }
        return new Mapped(List.of(call), null);
    }

    private static Mapped subscriber(List<String> header, List<String> values, String messageIdBase) {
        String userId = null;
        String timestamp = null;
        Map<String, Object> traits = new LinkedHashMap<>();
        Map<String, Boolean> consent = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String raw = values.get(i);
            String column = header.get(i);
            if (raw == null || raw.isEmpty()) {
                continue;
            }
            if (ID_COLUMNS.contains(column)) {
                userId = raw;
            } else if (column.equals("timestamp")) {
                timestamp = raw;
            } else if (column.startsWith("consent.")) {
                Boolean granted = switch (raw.trim().toLowerCase(Locale.ROOT)) {
                    case "granted", "true", "yes", "1" -> Boolean.TRUE;
                    case "revoked", "false", "no", "0" -> Boolean.FALSE;
                    default -> null;
                };
                if (granted == null) {
                    return Mapped.error("column " + column + ": must be granted or revoked");
                }
                consent.put(column.substring("consent.".length()).toLowerCase(Locale.ROOT), granted);
            } else {
                String name = column.startsWith("traits.") ? column.substring("traits.".length()) : column;
                try {
                    traits.put(baseName(name), typedExplicit(name, raw));
                } catch (IllegalArgumentException e) {
                    return Mapped.error("column " + column + ": " + e.getMessage());
                }
            }
        }
        if (userId == null) {
            return Mapped.error("the subscriber id (userId) is empty");
        }
        List<Map<String, Object>> calls = new ArrayList<>();
        Map<String, Object> identify = new LinkedHashMap<>();
        identify.put("type", "identify");
        identify.put("messageId", messageIdBase + "-identify");
        identify.put("userId", userId);
        identify.put("traits", traits);
        if (timestamp != null) {
            identify.put("timestamp", timestamp);
        }
        calls.add(identify);
        String time = timestamp;
        consent.forEach((channel, granted) -> {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("channel", channel);
            properties.put("granted", granted);
            properties.put("status", granted ? "granted" : "revoked");
            properties.put("source", "csv-import");
            Map<String, Object> track = new LinkedHashMap<>();
            track.put("type", "track");
            track.put("messageId", messageIdBase + "-consent-" + channel);
            track.put("userId", identify.get("userId"));
            track.put("event", CanonicalEvents.CONSENT_UPDATED);
            track.put("properties", properties);
            if (time != null) {
                track.put("timestamp", time);
            }
            calls.add(track);
        });
        return new Mapped(calls, null);
    }

    private static String baseName(String name) {
        int colon = name.lastIndexOf(':');
        return colon > 0 && (name.endsWith(":number") || name.endsWith(":boolean")) ? name.substring(0, colon) : name;
    }

    private static Object typed(String name, String raw) {
        if (name.endsWith(":number") || name.endsWith(":boolean")) {
            return typedExplicit(name, raw);
        }
        if (NUMERIC.contains(name)) {
            try {
                return new BigDecimal(raw.trim());
            } catch (NumberFormatException e) {
                return raw;
            }
        }
        return raw;
    }

    private static Object typedExplicit(String name, String raw) {
        if (name.endsWith(":number")) {
            try {
                return new BigDecimal(raw.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("is not a number");
            }
        }
        if (name.endsWith(":boolean")) {
            return switch (raw.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> Boolean.TRUE;
                case "false", "no", "0" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("is not a boolean (true/false)");
            };
        }
        return raw;
    }
}
