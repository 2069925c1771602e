package io.cohort.model.messaging;

import io.cohort.contracts.DeadLetterHeaders;
import io.cohort.support.FailureKind;
import io.cohort.support.TransientRetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * How this service's consumers end a record they could not apply. A transient failure (database
 * or broker away, a lock conflict) is retried with backoff ({@link TransientRetry}) and, if it
 * outlasts that, thrown: the channel stops and the record is redelivered, because it is still good.
 * A permanent one sends the record to {@code cohort.model-service.dlq.v1} (channel
 * {@code dead-letters-out}) with its original key and bytes and {@link DeadLetterHeaders}, and waits
 * for the broker's ack before returning, so the offset is committed only once the record is safe
 * there: one poison record no longer stops every subscriber behind it. Dead letters are counted in
 * {@code cohort.dead.letters{channel}}; logs name the record's position and the error class, never
 * ids or payloads (personal data).
 */
@ApplicationScoped
public class RecordOutcomes {

    static final String SERVICE = "model-service";
    private static final Logger LOG = Logger.getLogger(RecordOutcomes.class);
    private static final Duration DEAD_LETTER_ACK = Duration.ofSeconds(30);

    private final MutinyEmitter<byte[]> deadLetters;
    private final MeterRegistry meters;
    private final Clock clock;

    public RecordOutcomes(@Channel("dead-letters-out") MutinyEmitter<byte[]> deadLetters, MeterRegistry meters,
            Clock clock) {
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.clock = clock;
    }

    /** Runs {@code work} for a record read on {@code channel}; a permanent failure dead-letters the record. */
    public void apply(String channel, ConsumerRecord<String, byte[]> record, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            if (FailureKind.of(e) == FailureKind.TRANSIENT) {
                LOG.errorf("%s-%d@%d on %s still fails transiently (%s); stopping for redelivery", record.topic(),
                        record.partition(), record.offset(), channel, e.getClass().getName());
                throw e;
            }
            deadLetter(channel, record, e);
        }
    }

    /** One step of a record's work, retried while it fails transiently. */
    public <T> T retrying(String channel, ConsumerRecord<String, byte[]> record, Supplier<T> step) {
        return retrying(channel, record.topic() + "-" + record.partition() + "@" + record.offset(), step);
    }

    /** One step of a poll's work ({@code where}: which records, for the log), retried while it fails transiently. */
    public <T> T retrying(String channel, String where, Supplier<T> step) {
        Object[] result = new Object[1];
        TransientRetry.run(TransientRetry.Policy.standard(), (failure, attempt, delay) -> {
            meters.counter("cohort.transient.retries", "channel", channel).increment();
            LOG.warnf("%s on %s failed transiently (%s); attempt %d in %s", where, channel,
                    failure.getClass().getName(), attempt, delay);
        }, () -> result[0] = step.get());
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /** Sends the record to the dead-letter topic and waits for the broker's ack (see the class comment). */
    void deadLetter(String channel, ConsumerRecord<String, byte[]> record, RuntimeException error) {
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.of(SERVICE, record.topic(), record.partition(), record.offset(), error, clock.instant())
                .forEach(headers::add);
        Message<byte[]> message = Message.of(record.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key()).withHeaders(headers).build());
        // not acked in time: thrown, so the record is not committed and comes back after a restart
        deadLetters.sendMessage(message).await().atMost(DEAD_LETTER_ACK);
        meters.counter("cohort.dead.letters", "channel", channel).increment();
        // an UnusableRecord's reason names no one; other messages may quote data, so only their class is logged
        LOG.warnf("dead-lettered %s-%d@%d from %s: %s", record.topic(), record.partition(), record.offset(), channel,
                error instanceof UnusableRecord ? error.getMessage() : error.getClass().getName());
    }
}
