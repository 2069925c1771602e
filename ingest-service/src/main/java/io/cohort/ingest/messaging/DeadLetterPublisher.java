package io.cohort.ingest.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes rejected calls on {@code cohort.events.dlq.v1}, keyed by message id. Best effort: the
 * caller is told about the rejection whatever happens here, so a failed write is logged and
 * counted ({@code cohort.ingest.dlq.failures}) instead of turning a 400 into a 500.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<DeadLetter> deadLetters;
    private final Counter published;
    private final Counter failures;

    public DeadLetterPublisher(@Channel("dlq-out") MutinyEmitter<DeadLetter> deadLetters, MeterRegistry registry) {
        this.deadLetters = deadLetters;
        this.published = registry.counter("cohort.ingest.dlq.published");
        this.failures = registry.counter("cohort.ingest.dlq.failures");
    }

    /** Returns once the broker acknowledged every record, or after logging why it did not. */
    public void publishAll(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        List<Uni<Void>> acks = new ArrayList<>(letters.size());
        for (DeadLetter letter : letters) {
            acks.add(deadLetters.sendMessage(Message.of(letter).addMetadata(
                    OutgoingKafkaRecordMetadata.<String>builder().withKey(letter.messageId()).build())));
        }
        try {
            Uni.join().all(acks).andFailFast().await().atMost(ACK_TIMEOUT);
            published.increment(letters.size());
        } catch (RuntimeException e) {
            failures.increment(letters.size());
            // no call content in the log: it may hold personal data
            LOG.warnf("could not write %d rejected call(s) to the dead-letter topic: %s", letters.size(),
                    e.getClass().getSimpleName());
        }
    }
}
