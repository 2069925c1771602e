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

    static java.sql.Array texts(Connection connection, Collection<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }
}
