package io.cohort.feature.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefreshPaceTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private static final Duration BUDGET = Duration.ofMillis(250);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private final RefreshPace pace = new RefreshPace(BUDGET, MAX_WAIT);

    @Test
    void withoutABudgetItDrains() {
        RefreshPace draining = RefreshPace.draining(MAX_WAIT);
        assertTrue(draining.another(Duration.ofMinutes(5), Duration.ofSeconds(1), NOW, NOW));
    }

    @Test
    void freshMarksStopAtTheBudget() {
        Instant fresh = NOW.minusSeconds(5);
        assertTrue(pace.another(Duration.ofMillis(100), Duration.ofMillis(100), fresh, NOW), "200 ms <= 250 ms");
        assertTrue(pace.another(Duration.ofMillis(150), Duration.ofMillis(100), fresh, NOW), "exactly the budget");
        assertFalse(pace.another(Duration.ofMillis(151), Duration.ofMillis(100), fresh, NOW),
                "another batch as long as the last would overrun it");
        assertFalse(pace.another(Duration.ofMillis(300), Duration.ofMillis(100), null, NOW), "nothing claimed");
    }

    @Test
    void marksOlderThanTheMaxWaitKeepItGoingPastTheBudget() {
        assertTrue(pace.another(Duration.ofSeconds(2), Duration.ofMillis(200), NOW.minusSeconds(31), NOW));
        assertFalse(pace.another(Duration.ofSeconds(2), Duration.ofMillis(200), NOW.minusSeconds(30), NOW),
                "a wait of exactly the maximum is within it");
    }

    @Test
    void rejectsNegativeSettings() {
        assertThrows(IllegalArgumentException.class, () -> new RefreshPace(Duration.ofMillis(-1), MAX_WAIT));
        assertThrows(IllegalArgumentException.class, () -> new RefreshPace(BUDGET, Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> new RefreshPace(BUDGET, null));
    }
}
