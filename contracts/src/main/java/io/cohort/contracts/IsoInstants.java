package io.cohort.contracts;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * ISO-8601 instants on the request path without {@code DateTimeFormatter}. Profiling
 * {@code POST /v1/batch} showed the formatter-based {@code OffsetDateTime.parse} and
 * {@code Instant.toString} as about a quarter of the request threads' time (every call carries
 * a timestamp and sentAt, and every envelope three instants). The common shapes are handled by
 * hand; anything else falls back to the JDK, so results and errors are exactly the JDK's. The
 * envelope's own instants are written by {@link #format} (ingest-service), and consumers read them
 * with {@link #parseCommonForm} before their JSON library's parser.
 */
public final class IsoInstants {

    private static final long SECONDS_PER_DAY = 86_400;
    /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: the range {@link Instant#toString()} writes as four-digit years. */
    private static final long MIN_FAST_FORMAT = -62_167_219_200L;
    private static final long MAX_FAST_FORMAT = 253_402_300_800L;

    private IsoInstants() {
    }

    /**
     * The same as {@code OffsetDateTime.parse(text).toInstant()}: fast for
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM)}, the JDK for every other form.
     *
     * @throws java.time.format.DateTimeParseException when the JDK rejects the text
     */
    public static Instant parseOffsetDateTime(String text) {
        Instant fast = parseCommonForm(text);
        return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
    }

    /** Exactly {@link Instant#toString()}: seconds always, the fraction in groups of three digits. */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < MIN_FAST_FORMAT || seconds >= MAX_FAST_FORMAT) {
            return instant.toString();
        }
        long day = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(day);
        int nano = instant.getNano();
        int fractionDigits = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
        char[] out = new char[20 + (fractionDigits == 0 ? 0 : fractionDigits + 1)];
        digits(out, 0, date.getYear(), 4);
        out[4] = '-';
        digits(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        int at = 19;
        if (fractionDigits > 0) {
            out[at++] = '.';
            int fraction = fractionDigits == 3 ? nano / 1_000_000 : fractionDigits == 6 ? nano / 1_000 : nano;
            digits(out, at, fraction, fractionDigits);
            at += fractionDigits;
        }
        out[at] = 'Z';
        return new String(out);
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * The instant of {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM)}, or null when the text is not in
     * that form or a field is out of range (then the JDK's parser decides).
     */
    public static Instant parseCommonForm(String s) {
        int length = s.length();
        if (length < 20 || length > 35) {
            return null;
        }
        int year = number(s, 0, 4);
        int month = number(s, 5, 2);
        int day = number(s, 8, 2);
        int hour = number(s, 11, 2);
        int minute = number(s, 14, 2);
        int second = number(s, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0
                || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != 't')
                || s.charAt(13) != ':' || s.charAt(16) != ':'
                || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int at = 19;
        int nano = 0;
        if (s.charAt(at) == '.') {
            int start = ++at;
            while (at < length && isDigit(s.charAt(at))) {
                at++;
            }
            int count = at - start;
            if (count < 1 || count > 9) {
                return null;
            }
            nano = number(s, start, count);
            for (int i = count; i < 9; i++) {
                nano *= 10;
            }
        }
        int offsetSeconds;
        int rest = length - at;
        if (rest == 1 && (s.charAt(at) == 'Z' || s.charAt(at) == 'z')) {
            offsetSeconds = 0;
        } else if (rest == 6 && (s.charAt(at) == '+' || s.charAt(at) == '-') && s.charAt(at + 3) == ':') {
            int offsetHours = number(s, at + 1, 2);
            int offsetMinutes = number(s, at + 4, 2);
            if (offsetHours < 0 || offsetMinutes < 0 || offsetHours > 17 || offsetMinutes > 59) {
                return null;
            }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (s.charAt(at) == '-' ? -1 : 1);
        } else {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null; // e.g. 30 February: the JDK's parse reports it
        }
        long seconds = epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(seconds, nano);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The decimal value of count ASCII digits at start, or -1 when any is not a digit. */
    private static int number(String s, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
