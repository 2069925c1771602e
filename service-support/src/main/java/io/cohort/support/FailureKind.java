package io.cohort.support;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Whether a failure to process a record may go away by itself. Transient failures (the database or
 * broker unavailable, a lock or serialization conflict, a timeout) are retried and never
 * dead-lettered: the record is fine, the world is not. Everything else is permanent: the same record
 * would fail the same way forever, so it goes to the dead-letter topic and the partition moves on.
 */
public enum FailureKind {
    TRANSIENT, PERMANENT;

    /** PostgreSQL SQLSTATE classes and codes that describe the server's state, not the statement's data. */
    private static final Set<String> TRANSIENT_SQL_CLASSES = Set.of(
            "08", // connection exception
            "53", // insufficient resources (disk full, out of memory, too many connections)
            "57", // operator intervention (admin shutdown, cannot connect now), query canceled
            "58"); // system error (I/O)
    private static final Set<String> TRANSIENT_SQL_STATES = Set.of(
            "40001", // serialization failure
            "40P01", // deadlock detected
            "55P03", // lock not available
            "25006"); // read-only transaction (a failover in progress)

    // matched by name so this module needs neither the Kafka client nor a JDBC pool on its class path
    private static final Set<String> TRANSIENT_CLASS_NAMES = Set.of(
            "org.apache.kafka.common.errors.RetriableException",
            "org.apache.kafka.common.errors.TimeoutException",
            "org.apache.kafka.common.errors.DisconnectException",
            "jakarta.persistence.LockTimeoutException",
            "jakarta.persistence.PessimisticLockException",
            "jakarta.persistence.QueryTimeoutException",
            "org.hibernate.exception.JDBCConnectionException",
            "org.hibernate.exception.LockAcquisitionException");

    /** Transient if any exception in the cause chain says so; permanent otherwise. */
    public static FailureKind of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isTransient(t)) {
                return TRANSIENT;
            }
        }
        return PERMANENT;
    }

    private static boolean isTransient(Throwable t) {
        if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                || t instanceof ConnectException || t instanceof SocketTimeoutException
                || t instanceof TimeoutException) {
            return true;
        }
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state == null) {
                // the pool's "acquisition timeout" carries no SQLSTATE: no connection was free in time
                String message = sql.getMessage();
                return message != null && message.toLowerCase(java.util.Locale.ROOT).contains("acquisition timeout");
            }
            return TRANSIENT_SQL_STATES.contains(state)
                    || state.length() >= 2 && TRANSIENT_SQL_CLASSES.contains(state.substring(0, 2));
        }
        for (Class<?> type = t.getClass(); type != null; type = type.getSuperclass()) {
            if (TRANSIENT_CLASS_NAMES.contains(type.getName())) {
                return true;
            }
        }
        return false;
    }
}
