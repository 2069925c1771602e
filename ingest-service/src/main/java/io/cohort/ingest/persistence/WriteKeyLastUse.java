package io.cohort.ingest.persistence;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * A write key's last use, coarse: an authenticated call only notes the minute in memory, and every
 * {@code cohort.ingest.write-keys.last-used-every} (60 s) the noted uses are written, one update per
 * key and secret used since. So the tracking path never writes for it, and the admin API shows a last
 * use at most about a minute old (per replica; the latest replica's wins).
 */
@ApplicationScoped
public class WriteKeyLastUse {

    private static final Logger LOG = Logger.getLogger(WriteKeyLastUse.class);

    /** A key's id and which of its secrets was used. */
    private record Use(UUID id, boolean previousSecret) {
    }

    private final WriteKeyRepository keys;
    private final Map<Use, Instant> pending = new ConcurrentHashMap<>();

    public WriteKeyLastUse(WriteKeyRepository keys) {
        this.keys = keys;
    }

    /** Notes a use at {@code at}, truncated to the minute (one map write per call, no I/O). */
    public void note(UUID id, boolean previousSecret, Instant at) {
        pending.put(new Use(id, previousSecret), at.truncatedTo(ChronoUnit.MINUTES));
    }

    @Scheduled(every = "${cohort.ingest.write-keys.last-used-every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        flush();
    }

    void onStop(@Observes ShutdownEvent stop) {
        flush();
    }

    /** Writes every noted use; a failed write is noted again for the next run. */
    public void flush() {
        for (Use use : pending.keySet()) {
            Instant at = pending.remove(use);
            if (at == null) {
                continue;
            }
            try {
                keys.recordUse(use.id(), use.previousSecret(), at);
            } catch (RuntimeException e) {
                pending.merge(use, at, (a, b) -> a.isAfter(b) ? a : b);
                LOG.warnf("write key %s: last use not recorded (%s), retried next run", use.id(), e.getClass().getName());
                return;
            }
        }
    }
}
