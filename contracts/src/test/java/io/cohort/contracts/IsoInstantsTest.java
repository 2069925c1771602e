package io.cohort.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written paths must agree with the JDK on every input: same instant, same text, same rejections. */
class IsoInstantsTest {

    private static final long MIN = OffsetDateTime.parse("0000-01-01T00:00:00Z").toEpochSecond();
    private static final long MAX = OffsetDateTime.parse("9999-12-31T23:59:59Z").toEpochSecond();

    @Test
    void formatIsInstantToStringForEveryPrecisionAndBeyondFourDigitYears() {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(MIN + (long) (random.nextDouble() * (MAX - MIN)), nano(random));
            assertEquals(instant.toString(), IsoInstants.format(instant));
        }
        for (Instant edge : List.of(Instant.EPOCH, Instant.ofEpochSecond(-1), Instant.ofEpochSecond(-1, 999_999_999),
                Instant.ofEpochSecond(MIN), Instant.ofEpochSecond(MAX, 999_999_999), Instant.ofEpochSecond(MIN - 1),
                Instant.ofEpochSecond(MAX + 1), Instant.MAX, Instant.MIN, Instant.parse("2024-02-29T23:59:59.100Z"))) {
            assertEquals(edge.toString(), IsoInstants.format(edge), edge::toString);
        }
    }

    @Test
    void parseAgreesWithOffsetDateTimeOnGeneratedTexts() {
        Random random = new Random(11);
        DateTimeFormatter[] shapes = {
            DateTimeFormatter.ISO_OFFSET_DATE_TIME,
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX"),
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SXXX"),
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSxxx"),
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mmXXX"),
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxxxx"),
        };
        for (int i = 0; i < 100_000; i++) {
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(36 * 4 + 1) - 18 * 4) * 900);
            Instant instant = Instant.ofEpochSecond(MIN + 86_400 + (long) (random.nextDouble() * (MAX - MIN - 2 * 86_400)),
                    nano(random));
            String text = shapes[random.nextInt(shapes.length)].format(instant.atOffset(offset));
            assertEquals(OffsetDateTime.parse(text).toInstant(), IsoInstants.parseOffsetDateTime(text), text);
        }
    }

    @Test
    void parseAcceptsAndRejectsExactlyWhatTheJdkDoes() {
        List<String> texts = List.of(
                "2024-01-31T10:15:30Z", "2024-01-31t10:15:30z", "2024-01-31T10:15:30.5+02:00", "2024-01-31T10:15:30.123456789-11:30",
                "2024-01-31T10:15:30-00:00", "2024-01-31T10:15Z", "2024-01-31T10:15:30+18:00", "2024-01-31T10:15:30+02:00:15",
                "+12024-01-31T10:15:30Z", "2024-02-29T00:00:00Z",
                // rejected by both
                "2023-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z",
                "2024-01-31T24:00:00Z", "2024-01-31T10:60:00Z", "2024-01-31T10:15:60Z", "2024-01-31T10:15:30+18:30",
                "2024-01-31T10:15:30.Z", "2024-01-31T10:15:30.1234567890Z", "2024-01-31T10:15:30", "2024-01-31 10:15:30Z",
                "2024-01-31T10:15:30+0200", "2024-01-31T10:15:30+2:00", "2024-01-31T1O:15:30Z", "2024-1-31T10:15:30Z",
                "2024-01-31T10:15:30ZZ", "2024-01-31T10:15:30.１Z", "", "Z");
        for (String text : texts) {
            Instant expected;
            try {
                expected = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                assertThrows(DateTimeParseException.class, () -> IsoInstants.parseOffsetDateTime(text), text);
                continue;
            }
            assertEquals(expected, IsoInstants.parseOffsetDateTime(text), text);
        }
    }

    private static int nano(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
    }
}
