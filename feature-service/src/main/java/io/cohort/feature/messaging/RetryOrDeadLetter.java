package io.cohort.feature.messaging;

import io.cohort.support.FailureKind;
import io.cohort.support.TransientRetry;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * How every consumer here handles a failure to process a record: a transient one (database or broker
 * away, a lock conflict) is retried with backoff and, if it outlasts the retries, thrown, so the
 * channel stops and the record is redelivered after a restart; a permanent one is handed to the
 * dead-letter step, so the partition moves on.
 */
final class RetryOrDeadLetter {

    private static final Logger LOG = Logger.getLogger(RetryOrDeadLetter.class);

    private final TransientRetry.Policy policy;

    RetryOrDeadLetter(TransientRetry.Policy policy) {
        this.policy = policy;
    }

    static RetryOrDeadLetter standard() {
        return new RetryOrDeadLetter(TransientRetry.Policy.standard());
    }

    /** Runs {@code action}; returns false after handing a permanent failure to {@code deadLetter}. */
    boolean run(Runnable action, Consumer<RuntimeException> deadLetter) {
        try {
            retrying(action);
            return true;
        } catch (RuntimeException e) {
            if (FailureKind.of(e) == FailureKind.TRANSIENT) {
                throw e;
            }
            deadLetter.accept(e);
            return false;
        }
    }

    /** Runs {@code action}, retrying transient failures; any failure left is thrown. */
    void retrying(Runnable action) {
        TransientRetry.run(policy, (failure, attempt, delay) -> LOG.warnf("transient failure (%s), attempt %d in %s",
                failure.getClass().getSimpleName(), attempt, delay), action);
    }
}
