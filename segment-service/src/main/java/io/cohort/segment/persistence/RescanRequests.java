package io.cohort.segment.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The sweep's request that every instance's stream tasks rescan their views (streams engine): one
 * generation number in PostgreSQL, raised by each sweep and followed by every instance's
 * {@code SegmentRegistry} like the segment definitions. Writes commit at once (no transaction here):
 * the other instances must see them at their next check.
 */
@ApplicationScoped
public class RescanRequests {

    private final Jdbc jdbc;

    public RescanRequests(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The generation of the newest request. */
    public long generation() {
        return jdbc.query("select generation from segment_rescan_request where id = 1", s -> {
        }, row -> row.getLong(1)).stream().findFirst().orElse(0L);
    }

    /** Raises the generation (database clock for the time, so replicas agree); returns the new one. */
    public long request() {
        return jdbc.query("update segment_rescan_request set generation = generation + 1, requested_at = now() "
                + "where id = 1 returning generation", s -> {
                }, row -> row.getLong(1)).get(0);
    }

    /** Whether a rescan was requested (by any replica) less than {@code age} ago. */
    public boolean requestedWithin(Duration age) {
        return jdbc.query("select requested_at > now() - make_interval(secs => ?) from segment_rescan_request "
                + "where id = 1", s -> s.setDouble(1, age.toMillis() / 1000.0), row -> row.getBoolean(1))
                .stream().findFirst().orElse(false);
    }
}
