package io.cohort.feature.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ErasureSuppressionTest {

    private static final Instant ERASED = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void anEventReceivedBeforeOrAtTheErasureIsDropped() {
        assertTrue(ErasureSuppression.drops(ERASED.minusSeconds(3600), ERASED));
        assertTrue(ErasureSuppression.drops(ERASED, ERASED), "at the same instant erasure wins");
    }

    @Test
    void anEventReceivedAfterTheErasureIsKept() {
        assertFalse(ErasureSuppression.drops(ERASED.plusMillis(1), ERASED));
    }

    @Test
    void aSubscriberNeverErasedKeepsEverything() {
        assertFalse(ErasureSuppression.drops(ERASED, null));
        assertFalse(ErasureSuppression.drops(null, null));
    }

    @Test
    void anEventWithoutAReceiveTimeOfAnErasedSubscriberIsDropped() {
        assertTrue(ErasureSuppression.drops(null, ERASED));
    }
}
