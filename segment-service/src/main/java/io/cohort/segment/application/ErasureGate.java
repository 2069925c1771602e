package io.cohort.segment.application;

import io.cohort.segment.persistence.SuppressionRegister;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Lets a write of one subscriber's data through only if the subscriber was not erased after the
 * data was computed or received. The check and the write are one transaction under the
 * subscriber's lock, which the erasure takes too ({@link SubscriberErasure}), so an erasure
 * committed first is always seen and one committed later deletes what was written.
 */
@ApplicationScoped
public class ErasureGate {

    private final SuppressionRegister register;

    public ErasureGate(SuppressionRegister register) {
        this.register = register;
    }

    /**
     * Runs {@code write} (which joins this transaction) under the subscriber's lock without a check:
     * a tombstone's erasure, so a write of the same subscriber on another topic never finds its
     * locked view row deleted under it.
     */
    @Transactional
    public <T> T exclusively(String subscriberId, Supplier<T> write) {
        register.lockSubscriber(subscriberId);
        return write.get();
    }

    /**
     * Runs {@code write} (which joins this transaction) unless the subscriber's data from {@code at}
     * is suppressed; empty when it was dropped.
     */
    @Transactional
    public <T> Optional<T> unlessErased(String subscriberId, Instant at, Supplier<T> write) {
        register.lockSubscriber(subscriberId);
        if (register.suppresses(subscriberId, at)) {
            return Optional.empty();
        }
        return Optional.of(write.get());
    }
}
