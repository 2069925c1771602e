package io.cohort.segment.messaging;

import io.cohort.contracts.DeadLetterHeaders;
import io.cohort.contracts.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Puts a record this service can never use on {@code cohort.segment-service.dlq.v1} (channel
 * {@code dead-letters-out}): original key and value bytes plus {@link DeadLetterHeaders}. Returns
 * only once the broker acknowledged it, so the caller's offset is committed after the dead letter
 * is safe: a record is dead-lettered or redelivered, never lost. Counted in
 * {@code cohort.dead.letters{channel}}; logged by position and error class only, since ids and
 * payloads are personal data.
 */
@ApplicationScoped
@Startup
public class DeadLetters {

    static final String SERVICE = "segment-service";
    static final String COUNTER = "cohort.dead.letters";
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    /** A send not acknowledged by then fails like any broker outage: transiently, so it is retried. */
    private static final Duration ACK_WAIT = Duration.ofSeconds(30);

    private final MutinyEmitter<byte[]> out;
    private final MeterRegistry registry;
    private final Clock clock;

    public DeadLetters(@Channel("dead-letters-out") MutinyEmitter<byte[]> out, MeterRegistry registry, Clock clock) {
        this.out = out;
        this.registry = registry;
        this.clock = clock;
        // every channel's series exists at 0 from the start, so an alert on its increase sees the first one
        for (String channel : List.of(SubscriberViewConsumer.FEATURES_IN, SubscriberViewConsumer.SCORES_IN,
                EmailSentConsumer.EVENTS_IN, ErasureConsumer.ERASURE_IN)) {
            registry.counter(COUNTER, "channel", channel);
        }
    }

    /** Dead-letters {@code record}, read on {@code channel}, that failed with {@code error}. */
    public void send(String channel, ConsumerRecord<String, byte[]> record, Throwable error) {
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.of(SERVICE, record.topic(), record.partition(), record.offset(), error, clock.instant())
                .forEach(headers::add);
        Message<byte[]> letter = Message.of(record.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(Topics.SEGMENT_SERVICE_DLQ).withKey(record.key()).withHeaders(headers).build());
        try {
            out.sendMessage(letter).await().atMost(ACK_WAIT);
        } catch (io.smallrye.mutiny.TimeoutException e) {
            // Mutiny's own timeout type says nothing to FailureKind: make it the transient kind it is
            throw new IllegalStateException("dead letter not acknowledged in " + ACK_WAIT,
                    new java.util.concurrent.TimeoutException(e.getMessage()));
        }
        registry.counter(COUNTER, "channel", channel).increment();
        LOG.warnf("dead-lettered %s-%d@%d read on %s: %s", record.topic(), record.partition(), record.offset(), channel,
                error.getClass().getName());
    }
}
