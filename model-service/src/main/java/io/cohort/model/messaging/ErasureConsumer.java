package io.cohort.model.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.ErasureRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code cohort.erasure.v1} (own group {@code model-service-erasure}, so it never waits
 * behind a feature backlog): the subscriber's hash goes into the suppression register with the
 * request's time, its snapshot, scores and served predictions are deleted, and a tombstone goes
 * out on {@code cohort.scores.v1}. Feature vectors still in flight from before the erasure are then
 * dropped by {@link FeatureConsumer}. A repeated request repeats everything harmlessly; an unreadable
 * one is dead-lettered, a transient failure retried ({@link RecordOutcomes}).
 */
@ApplicationScoped
public class ErasureConsumer {

    static final String CHANNEL = "erasure-in";

    private final ScoringService scoring;
    private final RecordOutcomes outcomes;
    private final ObjectMapper json;
    private final MeterRegistry meters;

    public ErasureConsumer(ScoringService scoring, RecordOutcomes outcomes, ObjectMapper json, MeterRegistry meters) {
        this.scoring = scoring;
        this.outcomes = outcomes;
        this.json = json;
        this.meters = meters;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            // compaction's own tombstone for a request: nothing is asked of this service
            meters.counter("cohort.model.erasures", "outcome", "ignored").increment();
            return;
        }
        outcomes.apply(CHANNEL, record, () -> {
            ErasureRequest request = read(record.value());
            if (request.subscriberId() == null || request.subscriberId().isBlank()) {
                throw new UnusableRecord("no subscriberId");
            }
            if (record.key() != null && !record.key().equals(request.subscriberId())) {
                throw new UnusableRecord("key differs from subscriberId");
            }
            if (request.requestedAt() == null) {
                throw new UnusableRecord("no requestedAt");
            }
            outcomes.retrying(CHANNEL, record, () -> {
                scoring.eraseAndSuppress(request.subscriberId(), request.requestedAt());
                return null;
            });
            meters.counter("cohort.model.erasures", "outcome", "erased").increment();
        });
    }

    private ErasureRequest read(byte[] value) {
        try {
            ErasureRequest request = json.readValue(value, ErasureRequest.class);
            if (request == null) {
                throw new UnusableRecord("the value is JSON null");
            }
            return request;
        } catch (IOException e) {
            throw new UnusableRecord("unreadable erasure request (" + e.getClass().getSimpleName() + ")");
        }
    }
}
