package io.cohort.feature.persistence;

import io.cohort.feature.domain.Rfm;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The stored RFM boundaries, re-read at most every {@code cohort.feature.rfm.cache-ttl} (1m) so that
 * applying an event costs no extra query; another replica's refresh is seen within that time.
 * Call inside a transaction.
 */
@ApplicationScoped
public class RfmBoundariesCache {

    private final RfmRepository repository;
    private final long ttlNanos;
    private volatile Optional<Rfm.Boundaries> cached;
    private volatile long loadedAt;

    public RfmBoundariesCache(RfmRepository repository,
            @ConfigProperty(name = "cohort.feature.rfm.cache-ttl", defaultValue = "1m") Duration ttl) {
        this.repository = repository;
        this.ttlNanos = ttl.toNanos();
    }

    public Rfm.Boundaries current() {
        Optional<Rfm.Boundaries> value = cached;
        if (value == null || System.nanoTime() - loadedAt > ttlNanos) {
            value = repository.load();
            cached = value;
            loadedAt = System.nanoTime();
        }
        return value.orElse(null);
    }

    /** Replaces the cached value (after this replica stored new boundaries). */
    public void set(Rfm.Boundaries boundaries) {
        cached = Optional.ofNullable(boundaries);
        loadedAt = System.nanoTime();
    }
}
