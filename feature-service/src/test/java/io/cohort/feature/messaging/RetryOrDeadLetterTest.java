package io.cohort.feature.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.support.TransientRetry;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryOrDeadLetterTest {

    private final RetryOrDeadLetter failures =
            new RetryOrDeadLetter(new TransientRetry.Policy(3, Duration.ZERO, Duration.ZERO));
    private final List<RuntimeException> deadLettered = new ArrayList<>();

    @Test
    void aDatabaseThatIsBrieflyAwayIsRetriedNotDeadLettered() {
        int[] runs = {0};
        boolean applied = failures.run(() -> {
            if (++runs[0] == 1) {
                throw new RuntimeException(new SQLTransientConnectionException("connection refused", "08001"));
            }
        }, deadLettered::add);
        assertTrue(applied);
        assertEquals(2, runs[0], "failed once, then succeeded on the retry");
        assertEquals(List.of(), deadLettered);
    }

    @Test
    void aTransientFailureThatOutlastsTheRetriesStopsTheChannelInsteadOfDeadLettering() {
        RuntimeException down = new RuntimeException(new SQLException("the database system is shutting down", "57P01"));
        int[] runs = {0};
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> failures.run(() -> {
            runs[0]++;
            throw down;
        }, deadLettered::add));
        assertSame(down, thrown);
        assertEquals(3, runs[0]);
        assertEquals(List.of(), deadLettered, "the record is redelivered after a restart, not dead-lettered");
    }

    @Test
    void aPermanentFailureIsDeadLetteredAtOnce() {
        RuntimeException nul = new RuntimeException(new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00",
                "22021"));
        int[] runs = {0};
        boolean applied = failures.run(() -> {
            runs[0]++;
            throw nul;
        }, deadLettered::add);
        assertFalse(applied);
        assertEquals(1, runs[0], "no retry of what would fail the same way forever");
        assertEquals(List.of(nul), deadLettered);
    }
}
