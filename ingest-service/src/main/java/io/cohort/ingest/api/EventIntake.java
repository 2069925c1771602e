package io.cohort.ingest.api;

import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.http.FieldViolation;
import io.cohort.ingest.messaging.EventPublisher;
import io.cohort.ingest.persistence.AcceptedMessageRepository;
import io.micrometer.core.instrument.Counter;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

/**
 * Accepts validated events: claims each message id and publishes the new ones in one transaction.
 * The claim commits only after the broker acknowledged the events, so an event is either both
 * remembered and on Kafka, or neither (a failed publish rolls the claims back and the caller may
 * retry with the same ids).
 */
@ApplicationScoped
public class EventIntake {

    private final AcceptedMessageRepository accepted;
    private final EventPublisher publisher;
    private final Counter acceptedCounter;
    private final Counter duplicateCounter;

    public EventIntake(AcceptedMessageRepository accepted, EventPublisher publisher, MeterRegistry registry) {
        this.accepted = accepted;
        this.publisher = publisher;
        this.acceptedCounter = registry.counter("cohort.ingest.events", "outcome", "accepted");
        this.duplicateCounter = registry.counter("cohort.ingest.events", "outcome", "duplicate");
    }

    @Transactional
    public IntakeResult accept(List<EventEnvelope> envelopes) {
        List<EventEnvelope> fresh = new ArrayList<>(envelopes.size());
        for (EventEnvelope envelope : envelopes) {
            if (accepted.claim(envelope.messageId(), envelope.receivedAt())) {
                fresh.add(envelope);
            }
        }
        // Wait for the broker with the transaction suspended: Mutiny callbacks would otherwise carry
        // the JTA context onto Kafka's threads. The claims still commit only after the acks.
        QuarkusTransaction.suspendingExisting().run(() -> publisher.publishAll(fresh));
        int duplicates = envelopes.size() - fresh.size();
        acceptedCounter.increment(fresh.size());
        duplicateCounter.increment(duplicates);
        return new IntakeResult(true, fresh.size(), duplicates, List.of());
    }

    /**
     * Response body, Segment-compatible ({@code success}) plus what happened to the calls:
     * {@code accepted} newly published, {@code duplicates} acknowledged again without publishing,
     * {@code rejected} the invalid calls of a partially accepted batch (empty otherwise).
     */
    public record IntakeResult(boolean success, int accepted, int duplicates, List<Rejection> rejected) {

        IntakeResult withRejected(List<Rejection> rejections) {
            return new IntakeResult(success, accepted, duplicates, List.copyOf(rejections));
        }
    }

    /** One refused call of a batch: its index in {@code batch} and each bad field by JSON pointer. */
    public record Rejection(int index, List<FieldViolation> errors) {
    }
}
