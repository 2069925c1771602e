package io.cohort.ingest.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.ErasureRequest;
import io.cohort.contracts.EventEnvelope;
import io.cohort.ingest.api.EventIntake;
import io.cohort.ingest.messaging.ErasurePublisher;
import io.cohort.ingest.persistence.SubscriberRequestRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes recorded consent and erasure requests (transactional outbox). A request is first
 * committed as {@code pending}; {@link #publish} then locks its row, publishes, and marks it
 * {@code published} in the transaction that waited for the broker's ack, so a request is published
 * by exactly one attempt at a time and never again once marked. A publish that fails leaves the row
 * pending, and {@link #retryPending} (every {@code cohort.ingest.requests.retry-every} on every
 * replica) publishes it later. The published record carries an id derived from the request
 * (consent: message id {@code consent-<requestId>}, claimed like any event; erasure: its
 * requestId), so a resend after a lost ack is dropped downstream as a duplicate.
 */
@ApplicationScoped
public class RequestOutbox {

    private static final Logger LOG = Logger.getLogger(RequestOutbox.class);
    public static final String ERASURE = "erasure";
    public static final String CONSENT = "consent";
    private static final int RETRY_BATCH = 100;

    private final SubscriberRequestRepository requests;
    private final ErasurePublisher erasures;
    private final EventIntake intake;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration retryAfter;
    private final MeterRegistry registry;
    /** Requests recorded but not published, as of the last retry run: alert when it stays above 0. */
    private final AtomicLong pending = new AtomicLong();

    public RequestOutbox(SubscriberRequestRepository requests, ErasurePublisher erasures, EventIntake intake,
            ObjectMapper json, Clock clock, MeterRegistry registry,
            @ConfigProperty(name = "cohort.ingest.requests.retry-after", defaultValue = "PT30S") Duration retryAfter) {
        this.requests = requests;
        this.erasures = erasures;
        this.intake = intake;
        this.json = json;
        this.clock = clock;
        this.registry = registry;
        this.retryAfter = retryAfter;
        registry.gauge("cohort.ingest.requests.pending", pending);
    }

    /**
     * Publishes the request if it is still pending and nobody else is publishing it; returns its
     * status afterwards. Throws (leaving it pending) when the broker does not take it.
     */
    @Transactional
    public String publish(UUID id) {
        var pending = requests.lockPending(id).orElse(null);
        if (pending == null) {
            return requests.find(id).map(SubscriberRequestRepository.Row::status)
                    .orElse(SubscriberRequestRepository.PENDING);
        }
        if (ERASURE.equals(pending.kind())) {
            ErasureRequest request = new ErasureRequest(ErasureRequest.SCHEMA_VERSION, id.toString(),
                    pending.subscriberId(), pending.requestedAt());
            // the emitter's callbacks must not carry the JTA context; the row lock is held meanwhile
            QuarkusTransaction.suspendingExisting().run(() -> erasures.publish(request));
        } else {
            intake.accept(List.of(envelope(pending.payload())));
        }
        requests.markPublished(id, Instant.now(clock));
        return SubscriberRequestRepository.PUBLISHED;
    }

    /** As {@link #publish}, but a failed publish is only logged: the request stays pending for the retry. */
    public String tryPublish(UUID id) {
        try {
            return publish(id);
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            LOG.warnf("request %s recorded but not published yet (%s); the outbox retries it", id,
                    cause.getClass().getName());
            registry.counter("cohort.ingest.requests.publish.failures").increment();
            return SubscriberRequestRepository.PENDING;
        }
    }

    @Scheduled(every = "${cohort.ingest.requests.retry-every:30s}", delayed = "${cohort.ingest.requests.retry-delay:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retryPending() {
        Instant cutoff = Instant.now(clock).minus(retryAfter);
        List<UUID> ids = QuarkusTransaction.requiringNew().call(() -> {
            pending.set(requests.pendingCount());
            return requests.pendingBefore(cutoff, RETRY_BATCH);
        });
        for (UUID id : ids) {
            if (SubscriberRequestRepository.PENDING.equals(tryPublish(id))) {
                return; // the broker is still not taking them: the next run tries again
            }
            registry.counter("cohort.ingest.requests.retried").increment();
        }
    }

    private EventEnvelope envelope(String payload) {
        try {
            return json.readValue(payload, EventEnvelope.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a recorded consent event could not be read", e);
        }
    }

    /** The event a consent request publishes, as recorded with it. */
    public String payloadOf(EventEnvelope event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a consent event could not be serialised", e);
        }
    }
}
