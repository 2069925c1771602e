package io.cohort.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransientRetryTest {

    private final TransientRetry.Policy quick = new TransientRetry.Policy(4, Duration.ofMillis(1), Duration.ofMillis(4));

    @Test
    void aTransientFailureIsRetriedUntilItPasses() {
        List<Integer> attempts = new ArrayList<>();
        int[] calls = {0};
        TransientRetry.run(quick, (e, next, delay) -> attempts.add(next), () -> {
            if (++calls[0] < 3) {
                throw new RuntimeException(new SQLException("database down", "08006"));
            }
        });
        assertEquals(3, calls[0]);
        assertEquals(List.of(2, 3), attempts);
    }

    @Test
    void aPermanentFailureIsThrownAtOnce() {
        int[] calls = {0};
        RuntimeException bad = new RuntimeException(new SQLException("invalid byte sequence", "22021"));
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> TransientRetry.run(quick,
                (e, next, delay) -> { }, () -> {
                    calls[0]++;
                    throw bad;
                }));
        assertSame(bad, thrown);
        assertEquals(1, calls[0]);
    }

    @Test
    void aTransientFailureThatOutlastsTheAttemptsIsThrown() {
        int[] calls = {0};
        assertThrows(RuntimeException.class, () -> TransientRetry.run(quick, (e, next, delay) -> { }, () -> {
            calls[0]++;
            throw new RuntimeException(new SQLException("database down", "08006"));
        }));
        assertEquals(4, calls[0]);
    }

    @Test
    void theWaitDoublesUpToItsCap() {
        var policy = new TransientRetry.Policy(10, Duration.ofMillis(100), Duration.ofMillis(500));
        assertEquals(100, policy.delayBefore(2).toMillis());
        assertEquals(200, policy.delayBefore(3).toMillis());
        assertEquals(400, policy.delayBefore(4).toMillis());
        assertEquals(500, policy.delayBefore(5).toMillis());
        assertEquals(500, policy.delayBefore(9).toMillis());
    }
}
