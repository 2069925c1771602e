package io.cohort.ingest.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * A cheap upper bound of the compact UTF-8 JSON size of parsed JSON (maps, lists, strings, numbers,
 * booleans, null), without serialising it. When the bound is under a limit the exact size is too,
 * so the validator only serialises the (rare) calls whose bound reaches 32 KB.
 *
 * <p>Bounds: a string is at most 6 bytes per UTF-16 char plus its quotes (the longest escape,
 * {@code \\uXXXX}; UTF-8 needs at most 3 bytes per char); a number at most 32 chars (a double or
 * long), or its text for big numbers; {@code false} 5, {@code null} 4; separators counted one each.
 */
public final class JsonSizeBound {

    /** Returned for values that are not parsed JSON: the caller must measure exactly. */
    public static final long UNKNOWN = Long.MAX_VALUE;

    private JsonSizeBound() {
    }

    /** An upper bound of the value's size, or a value {@code > limit} (possibly {@link #UNKNOWN}) once over it. */
    public static long of(Object value, long limit) {
        return bound(value, 0, limit);
    }

    private static long bound(Object value, long sofar, long limit) {
        if (sofar > limit) {
            return sofar;
        }
        if (value == null) {
            return sofar + 4;
        }
        if (value instanceof String s) {
            return sofar + 2 + 6L * s.length();
        }
        if (value instanceof Boolean) {
            return sofar + 5;
        }
        if (value instanceof BigDecimal || value instanceof BigInteger) {
            return sofar + 2 + value.toString().length();
        }
        if (value instanceof Number) {
            return sofar + 32;
        }
        if (value instanceof Map<?, ?> map) {
            long size = sofar + 2;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    return UNKNOWN;
                }
                size = bound(entry.getValue(), size + 2 + 6L * key.length() + 2, limit);
                if (size > limit) {
                    return size;
                }
            }
            return size;
        }
        if (value instanceof List<?> list) {
            long size = sofar + 2;
            for (Object item : list) {
                size = bound(item, size + 1, limit);
                if (size > limit) {
                    return size;
                }
            }
            return size;
        }
        return UNKNOWN;
    }
}
