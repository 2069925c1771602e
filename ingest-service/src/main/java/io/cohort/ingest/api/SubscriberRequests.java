package io.cohort.ingest.api;

import io.cohort.contracts.ErasureRequest;
import io.cohort.contracts.EventEnvelope;
import io.cohort.ingest.messaging.ErasurePublisher;
import io.cohort.ingest.persistence.IdentityRepository;
import io.cohort.ingest.persistence.SubscriberRequestRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Consent and erasure requests: each is published and recorded in one transaction that commits
 * only after the broker acknowledged the event, so a request id that can be read is on Kafka.
 */
@ApplicationScoped
public class SubscriberRequests {

    public static final String ERASURE = "erasure";
    public static final String CONSENT = "consent";

    private final SubscriberRequestRepository requests;
    private final IdentityRepository identity;
    private final ErasurePublisher erasures;
    private final EventIntake intake;
    private final Clock clock;

    public SubscriberRequests(SubscriberRequestRepository requests, IdentityRepository identity,
            ErasurePublisher erasures, EventIntake intake, Clock clock) {
        this.requests = requests;
        this.identity = identity;
        this.erasures = erasures;
        this.intake = intake;
        this.clock = clock;
    }

    /** Publishes the erasure request, forgets identity links and held events of the subscriber. */
    @Transactional
    public ErasureRequest erase(String subscriberId) {
        ErasureRequest request = new ErasureRequest(ErasureRequest.SCHEMA_VERSION, UUID.randomUUID().toString(),
                subscriberId, Instant.now(clock));
        identity.erase(subscriberId);
        QuarkusTransaction.suspendingExisting().run(() -> erasures.publish(request));
        requests.insert(UUID.fromString(request.requestId()), ERASURE, subscriberId, SubscriberRequestRepository.PUBLISHED,
                request.requestedAt(), Instant.now(clock));
        return request;
    }

    /** Publishes the {@code Consent Updated} event (already validated) and records the request. */
    @Transactional
    public void consent(UUID requestId, EventEnvelope event) {
        intake.accept(List.of(event));
        requests.insert(requestId, CONSENT, event.userId(), SubscriberRequestRepository.PUBLISHED, event.receivedAt(),
                Instant.now(clock));
    }
}
