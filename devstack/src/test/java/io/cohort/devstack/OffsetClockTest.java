package io.cohort.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class OffsetClockTest {

    @Test
    void advancesByTheOffsetAndResetsToRealTime() {
        OffsetClock clock = new OffsetClock();
        clock.advance(Duration.ofDays(2));
        clock.advance(Duration.ofHours(3));
        Instant before = Instant.now();
        Instant seen = clock.instant();
        Instant after = Instant.now();
        assertTrue(!seen.isBefore(before.plus(Duration.ofHours(51))) && !seen.isAfter(after.plus(Duration.ofHours(51))),
                seen + " not 51 h ahead of " + before);
        assertEquals(ZoneOffset.UTC, clock.getZone());
        Instant zoned = clock.withZone(ZoneOffset.ofHours(2)).instant();
        assertTrue(zoned.isAfter(before.plus(Duration.ofHours(50))), "the zoned view keeps the offset");

        clock.reset();
        Instant real = clock.instant();
        assertTrue(Duration.between(Instant.now(), real).abs().compareTo(Duration.ofSeconds(5)) < 0, "back to real time");
    }
}
