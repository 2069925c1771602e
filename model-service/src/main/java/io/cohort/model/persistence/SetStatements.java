package io.cohort.model.persistence;

import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Set-based statements on the current transaction's JDBC connection: a whole poll's rows travel as
 * one typed array per column and {@code unnest} turns them back into rows, so a batch costs one
 * round trip per table instead of one per vector.
 */
final class SetStatements {

    private SetStatements() {
    }

    interface Parameters {
        void set(Connection connection, PreparedStatement statement) throws SQLException;
    }

    interface Rows {
        void each(ResultSet row) throws SQLException;
    }

    static int update(EntityManager em, String sql, Parameters parameters) {
        int[] updated = new int[1];
        em.unwrap(org.hibernate.Session.class).doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                parameters.set(connection, statement);
                updated[0] = statement.executeUpdate();
            }
        });
        return updated[0];
    }

    static void query(EntityManager em, String sql, Parameters parameters, Rows rows) {
        em.unwrap(org.hibernate.Session.class).doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                parameters.set(connection, statement);
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        rows.each(result);
                    }
                }
            }
        });
    }

    static java.sql.Array texts(Connection connection, java.util.Collection<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray(new String[0]));
    }

    static java.sql.Array bigints(Connection connection, java.util.Collection<Long> values) throws SQLException {
        return connection.createArrayOf("int8", values.toArray(new Long[0]));
    }

    /** Nullable integers (a subscriber without a cluster has none). */
    static java.sql.Array integers(Connection connection, java.util.Collection<Integer> values) throws SQLException {
        return connection.createArrayOf("int4", values.toArray(new Integer[0]));
    }

    static java.sql.Array doubles(Connection connection, java.util.Collection<Double> values) throws SQLException {
        return connection.createArrayOf("float8", values.toArray(new Double[0]));
    }

    /** A timestamptz parameter (the driver binds OffsetDateTime exactly, whatever the session's time zone). */
    static java.time.OffsetDateTime timestamptz(java.time.Instant instant) {
        return java.time.OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC);
    }
}
