package io.cohort.segment.messaging;

import io.cohort.support.FailureKind;
import io.cohort.support.TransientRetry;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * How every consumer of this service treats a record that fails: a transient failure (database or
 * broker away, lock conflict, timeout) is retried with backoff and never dead-lettered; one that
 * outlasts the retries is rethrown, which stops the channel so the record is redelivered after a
 * restart. A permanent failure, an unreadable or inapplicable record included, is dead-lettered
 * and the partition moves on.
 */
@ApplicationScoped
public class RecordFailures {

    private static final Logger LOG = Logger.getLogger(RecordFailures.class);

    private final DeadLetters deadLetters;

    public RecordFailures(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** Runs {@code action} for {@code record} (read on {@code channel}); returns once it is applied or dead-lettered. */
    public void handle(String channel, ConsumerRecord<String, byte[]> record, Runnable action) {
        try {
            TransientRetry.run(TransientRetry.Policy.standard(), (failure, attempt, delay) -> LOG.warnf(
                    "%s-%d@%d on %s failed transiently (%s); attempt %d in %s", record.topic(), record.partition(),
                    record.offset(), channel, failure.getClass().getName(), attempt, delay), action);
        } catch (RuntimeException e) {
            if (FailureKind.of(e) == FailureKind.TRANSIENT) {
                throw e;
            }
            // the dead letter's own send may meet a broker outage: that is transient, so retried too
            TransientRetry.run(TransientRetry.Policy.standard(), (failure, attempt, delay) -> LOG.warnf(
                    "dead letter of %s-%d@%d not acknowledged (%s); attempt %d in %s", record.topic(),
                    record.partition(), record.offset(), failure.getClass().getName(), attempt, delay),
                    () -> deadLetters.send(channel, record, e));
        }
    }
}
