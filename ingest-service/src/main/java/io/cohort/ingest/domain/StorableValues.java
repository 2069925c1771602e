package io.cohort.ingest.domain;

import io.cohort.contracts.http.FieldViolation;
import java.util.List;
import java.util.Map;

/**
 * Finds values in parsed JSON that no consumer can store, each named by JSON pointer: strings
 * (object keys included) containing U+0000, which PostgreSQL's text types refuse, or an unpaired
 * UTF-16 surrogate, which has no UTF-8 form; and numbers that
 * are not finite doubles ({@code 1e400} parses to Infinity; a 400-digit integer overflows every
 * consumer that reads it as a double). One such value used to stop feature computation for
 * everyone, so ingest refuses the call instead of cleaning it. Pure.
 */
public final class StorableValues {

    static final String NUL_MESSAGE = "must not contain the NUL character (U+0000)";
    static final String SURROGATE_MESSAGE = "must be valid Unicode (it has an unpaired surrogate, e.g. a lone \\ud800)";
    static final String NON_FINITE_MESSAGE = "must be a finite number (at most about 1.8e308)";

    private StorableValues() {
    }

    /** Appends a violation for every unstorable value under {@code value}, found at {@code pointer}. */
    public static void check(Object value, String pointer, List<FieldViolation> errors) {
        if (value instanceof String s) {
            String problem = problem(s);
            if (problem != null) {
                errors.add(new FieldViolation(pointer.isEmpty() ? "/" : pointer, problem));
            }
        } else if (value instanceof Number n) {
            if (!Double.isFinite(n.doubleValue())) {
                errors.add(new FieldViolation(pointer.isEmpty() ? "/" : pointer, NON_FINITE_MESSAGE));
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                String at = pointer + "/" + escape(key);
                String problem = problem(key);
                if (problem != null) {
                    errors.add(new FieldViolation(at, "the name " + problem));
                }
                check(entry.getValue(), at, errors);
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                check(list.get(i), pointer + "/" + i, errors);
            }
        }
    }

    /**
     * Why the string cannot be stored, or null. An unpaired surrogate has no UTF-8 form: encoders
     * replace it with {@code ?} or fail, so the value would change or break on its way.
     */
    public static String problem(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u0000') {
                return NUL_MESSAGE;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return SURROGATE_MESSAGE;
            }
        }
        return null;
    }

    public static boolean hasNul(String s) {
        return s.indexOf('\u0000') >= 0;
    }

    /** RFC 6901: {@code ~} and {@code /} in a key are written {@code ~0} and {@code ~1}. */
    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
