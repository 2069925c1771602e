package io.cohort.segment.messaging;

import io.cohort.contracts.ErasureRequest;
import io.cohort.segment.application.SubscriberErasure;
import io.cohort.segment.persistence.MembershipStore.ViewChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Erasure requests from the compacted {@code cohort.erasure.v1} (own consumer group
 * {@code segment-service-erasure}, so erasures are never queued behind a features backlog).
 * Applying one twice changes nothing. A tombstone (the request compacted away) changes nothing
 * either: the register keeps the erasure's time for good, as later data is told apart by time.
 */
@ApplicationScoped
public class ErasureConsumer {

    static final String ERASURE_IN = "erasure-in";

    private final SubscriberErasure erasure;
    private final RecordFailures failures;
    private final RecordValues values;
    private final OutboxRelay relay;
    private final Counter erased;

    public ErasureConsumer(SubscriberErasure erasure, RecordFailures failures, RecordValues values,
            OutboxRelay relay, MeterRegistry registry) {
        this.erasure = erasure;
        this.failures = failures;
        this.values = values;
        this.relay = relay;
        this.erased = registry.counter("cohort.segment.erasures");
    }

    @Incoming(ERASURE_IN)
    @Blocking
    public void onErasure(ConsumerRecord<String, byte[]> record) {
        failures.handle(ERASURE_IN, record, () -> erase(record));
    }

    private void erase(ConsumerRecord<String, byte[]> record) {
        String subscriberId = RecordValues.subscriberKey(record);
        ErasureRequest request = values.read(record, ErasureRequest.class);
        if (request == null) {
            return;
        }
        RecordValues.requireSameSubscriber(record, request.subscriberId());
        // a request without its time still erases; when it was published is the best time known
        Instant requestedAt = request.requestedAt() != null ? request.requestedAt()
                : Instant.ofEpochMilli(record.timestamp());
        ViewChange change = erasure.erase(new ErasureRequest(request.schemaVersion(), request.requestId(),
                subscriberId, requestedAt));
        erased.increment();
        relay.committed(change.transitions());
    }
}
