package io.cohort.support.schedule;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Makes a scheduled job run once per slot across all replicas of a service: every replica's
 * scheduler fires, and the first to insert the slot's row in the service's own
 * {@code scheduled_run} table ({@code primary key (job, slot)}) runs the job; the others find the
 * row and skip. A slot is the trigger's scheduled fire time (the same on every replica for a cron
 * trigger) or an interval's start. The row also records who ran it and when, for operators.
 *
 * <p>Expected table (each service migrates its own):
 * {@code create table scheduled_run (job text, slot timestamptz, owner text not null,
 * claimed_at timestamptz not null, primary key (job, slot))}.
 */
public final class ScheduledRunClaims {

    private final DataSource dataSource;
    private final String owner;

    /** @param owner names this instance in the claim (a pod name; never personal data) */
    public ScheduledRunClaims(DataSource dataSource, String owner) {
        this.dataSource = dataSource;
        this.owner = owner;
    }

    /**
     * True when this instance won the slot and must run the job; false when another one has it.
     * Call it outside a transaction: the claim must be visible to the other replicas at once.
     */
    public boolean claim(String job, Instant slot, Instant now) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "insert into scheduled_run (job, slot, owner, claimed_at) values (?, ?, ?, ?)"
                                + " on conflict (job, slot) do nothing")) {
            insert.setString(1, job);
            insert.setTimestamp(2, Timestamp.from(slot));
            insert.setString(3, owner);
            insert.setTimestamp(4, Timestamp.from(now));
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not claim the run of " + job, e);
        }
    }

    public String owner() {
        return owner;
    }
}
