package io.cohort.ingest.api;

import io.cohort.contracts.EventEnvelope;
import io.cohort.ingest.application.RequestOutbox;
import io.cohort.ingest.persistence.IdentityRepository;
import io.cohort.ingest.persistence.SubscriberRequestRepository;
import io.cohort.ingest.persistence.SuppressionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Consent and erasure requests: each is recorded (pending) and committed first, then published
 * through the {@link RequestOutbox}. A request that cannot be recorded publishes nothing; one that
 * is recorded is published by this call or, if the broker does not take it now, by the outbox's
 * retry, exactly once either way.
 */
@ApplicationScoped
public class SubscriberRequests {

    private final SubscriberRequestRepository requests;
    private final IdentityRepository identity;
    private final SuppressionRepository suppression;
    private final RequestOutbox outbox;
    private final Clock clock;

    public SubscriberRequests(SubscriberRequestRepository requests, IdentityRepository identity,
            SuppressionRepository suppression, RequestOutbox outbox, Clock clock) {
        this.requests = requests;
        this.identity = identity;
        this.suppression = suppression;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * Records the erasure, registers the subscriber as suppressed (later events are dropped), forgets
     * identity links, held events and the id in earlier requests, then publishes the erasure.
     */
    public Recorded erase(String subscriberId) {
        UUID id = UUID.randomUUID();
        Instant requestedAt = QuarkusTransaction.requiringNew().call(() -> {
            identity.erase(subscriberId);
            requests.forgetSubscriber(subscriberId);
            // taken last, just before the commit: an event received before it that missed the register
            // is dropped downstream as in-flight; only the last insert and the commit remain a window
            Instant at = Instant.now(clock);
            suppression.suppress(subscriberId, at);
            requests.insertPending(id, RequestOutbox.ERASURE, subscriberId, at, null);
            return at;
        });
        return new Recorded(id, requestedAt, outbox.tryPublish(id));
    }

    /** Records the {@code Consent Updated} event (already validated) with the request, then publishes it. */
    public Recorded consent(UUID requestId, EventEnvelope event) {
        String payload = outbox.payloadOf(event);
        QuarkusTransaction.requiringNew().run(() -> requests.insertPending(requestId, RequestOutbox.CONSENT,
                event.userId(), event.receivedAt(), payload));
        return new Recorded(requestId, event.receivedAt(), outbox.tryPublish(requestId));
    }

    /** Removes the subscriber from the suppression register; false when they were not in it. */
    public boolean unsuppress(String subscriberId) {
        return QuarkusTransaction.requiringNew().call(() -> suppression.unsuppress(subscriberId));
    }

    /** A recorded request and its status after the first publish attempt (published or pending). */
    public record Recorded(UUID requestId, Instant requestedAt, String status) {

        public boolean published() {
            return SubscriberRequestRepository.PUBLISHED.equals(status);
        }
    }
}
