package io.cohort.feature.messaging;

import io.cohort.contracts.DeadLetterHeaders;
import io.cohort.support.TransientRetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Sends a record this service can never process to {@code cohort.feature-service.dlq.v1}
 * (channel {@code dead-letters-out}) with its original key and value bytes and
 * {@link DeadLetterHeaders}, and waits for the broker: the caller commits the record's offset only
 * afterwards, so a record is either dead-lettered or redelivered, never lost. Counted per incoming
 * channel in {@code cohort.dead.letters}; the log names the record's position and the error class
 * only (ids and payloads are personal data).
 */
@ApplicationScoped
public class DeadLetters {

    static final String SERVICE = "feature-service";
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<byte[]> emitter;
    private final MeterRegistry registry;
    private final Clock clock;

    public DeadLetters(@Channel("dead-letters-out") MutinyEmitter<byte[]> emitter, MeterRegistry registry,
            Clock clock) {
        this.emitter = emitter;
        this.registry = registry;
        this.clock = clock;
    }

    /** Dead-letters {@code record} (read on {@code channel}) that failed with {@code error}; returns once acked. */
    public void send(String channel, ConsumerRecord<String, byte[]> record, Throwable error) {
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.of(SERVICE, record.topic(), record.partition(), record.offset(), error, clock.instant())
                .forEach(headers::add);
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key()).withHeaders(headers).build();
        // a broker that is briefly away is waited for; one that stays away stops the channel (redelivery)
        TransientRetry.run(TransientRetry.Policy.standard(),
                (failure, attempt, delay) -> LOG.warnf("dead-letter send failed (%s), attempt %d in %s",
                        failure.getClass().getSimpleName(), attempt, delay),
                () -> emitter.sendMessage(Message.of(record.value()).addMetadata(metadata)).await()
                        .atMost(ACK_TIMEOUT));
        registry.counter("cohort.dead.letters", "channel", channel).increment();
        LOG.warnf("dead-lettered %s-%d@%d from %s (%s)", record.topic(), record.partition(), record.offset(), channel,
                error.getClass().getName());
    }
}
