package io.cohort.feature.persistence;

import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/** Set-based statements over JDBC on the transaction's own connection (array parameters, batches). */
final class Jdbc {

    private Jdbc() {
    }

    interface Binder {
        void bind(Connection connection, PreparedStatement statement) throws SQLException;
    }

    static int update(EntityManager em, String sql, Binder binder) {
        int[] count = new int[1];
        em.unwrap(org.hibernate.Session.class).doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                binder.bind(connection, statement);
                count[0] = statement.executeUpdate();
            }
        });
        return count[0];
    }

    // Typed arrays (String[], long[]) rather than Object[]: the driver then has a specific encoder for
    // them (binary for long[]), where an Object[] takes its generic path, element by element through
    // toString and escaping, which profiling showed as a tenth of the consumer's CPU.
    static java.sql.Array texts(Connection connection, Collection<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray(new String[0]));
    }

    /** A text array of the values' {@code toString()} (null stays null): cast in SQL to date, timestamptz, numeric. */
    static java.sql.Array strings(Connection connection, Collection<?> values) throws SQLException {
        return connection.createArrayOf("text",
                values.stream().map(v -> v == null ? null : v.toString()).toArray(String[]::new));
    }

    static java.sql.Array longs(Connection connection, Collection<Long> values) throws SQLException {
        if (values.stream().anyMatch(java.util.Objects::isNull)) {
            return connection.createArrayOf("int8", values.toArray(new Long[0]));
        }
        return connection.unwrap(org.postgresql.PGConnection.class).createArrayOf("int8",
                values.stream().mapToLong(Long::longValue).toArray());
    }

    interface RowReader {
        void read(java.sql.ResultSet row) throws SQLException;
    }

    /** Runs a query on the transaction's connection and hands every row to {@code reader}. */
    static void query(EntityManager em, String sql, Binder binder, RowReader reader) {
        em.unwrap(org.hibernate.Session.class).doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                binder.bind(connection, statement);
                try (java.sql.ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        reader.read(rows);
                    }
                }
            }
        });
    }

    /**
     * Deletes up to {@code limit} rows of {@code table} whose {@code column} is before {@code before},
     * skipping rows another replica holds, so replicas purging at once share the work; returns how
     * many went. Table and column are code constants, never input.
     */
    static int deleteOlderThan(EntityManager em, String table, String column, Object before, int limit) {
        return em.createNativeQuery("delete from " + table + " where ctid in (select ctid from " + table
                        + " where " + column + " < ?1 limit ?2 for update skip locked)")
                .setParameter(1, before)
                .setParameter(2, limit)
                .executeUpdate();
    }
}
