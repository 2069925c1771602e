package io.cohort.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL 14 server from zonky's packaged binaries. PostgreSQL refuses to run initdb as
 * root; zonky runs it inside a user namespace ({@code unshare -U}) in that case, so the same code
 * works for CI (root) and for developers (normal user).
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "cohort";
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * @param port    listen port, or 0 for a free one
     * @param dataDir data directory kept across runs; null for a fresh temporary one
     */
    public static PostgresServer start(int port, Path dataDir) throws IOException, SQLException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off");
        if (port > 0) {
            builder.setPort(port);
        }
        if (dataDir != null) {
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
        }
        PostgresServer server = new PostgresServer(builder.start());
        server.createDatabaseIfMissing();
        return server;
    }

    private void createDatabaseIfMissing() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
            if (!rs.next()) {
                s.execute("create database " + DATABASE);
            }
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
