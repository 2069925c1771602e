package io.cohort.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class FailureKindTest {

    @Test
    void dataTheDatabaseCannotStoreIsPermanent() {
        assertEquals(FailureKind.PERMANENT, FailureKind.of(wrapped(new SQLException(
                "invalid byte sequence for encoding \"UTF8\": 0x00", "22021"))));
        assertEquals(FailureKind.PERMANENT, FailureKind.of(wrapped(new SQLException(
                "timestamp out of range", "22008"))));
        assertEquals(FailureKind.PERMANENT, FailureKind.of(new NullPointerException()));
        assertEquals(FailureKind.PERMANENT, FailureKind.of(new IllegalArgumentException("bad")));
    }

    @Test
    void anUnavailableOrContendedDatabaseIsTransient() {
        assertEquals(FailureKind.TRANSIENT, FailureKind.of(wrapped(new SQLException("connection refused", "08001"))));
        assertEquals(FailureKind.TRANSIENT, FailureKind.of(wrapped(new SQLException("terminating", "57P01"))));
        assertEquals(FailureKind.TRANSIENT, FailureKind.of(wrapped(new SQLException("could not serialize", "40001"))));
        assertEquals(FailureKind.TRANSIENT, FailureKind.of(wrapped(new SQLException("deadlock", "40P01"))));
        assertEquals(FailureKind.TRANSIENT, FailureKind.of(wrapped(new SQLException("lock", "55P03"))));
        assertEquals(FailureKind.TRANSIENT, FailureKind.of(new SQLException("Acquisition timeout while waiting")));
        assertEquals(FailureKind.TRANSIENT, FailureKind.of(new SQLTransientConnectionException("down")));
        assertEquals(FailureKind.TRANSIENT, FailureKind.of(wrapped(new ConnectException("refused"))));
    }

    @Test
    void aKafkaRetriableErrorIsRecognisedByItsTypeHierarchy() {
        assertEquals(FailureKind.TRANSIENT, FailureKind.of(
                new RuntimeException(new org.apache.kafka.common.errors.NotLeaderOrFollowerException("moved"))));
        assertEquals(FailureKind.PERMANENT, FailureKind.of(
                new org.apache.kafka.common.errors.RecordTooLargeException("too large")));
    }

    private static RuntimeException wrapped(Throwable cause) {
        return new RuntimeException("apply failed", new IllegalStateException("statement failed", cause));
    }
}
