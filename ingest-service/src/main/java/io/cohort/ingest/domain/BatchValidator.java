package io.cohort.ingest.domain;

import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.http.FieldViolation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Validates a Segment {@code /v1/batch} body: {@code {"batch": [calls], "context": {...}}}. */
public final class BatchValidator {

    public static final int MAX_EVENTS = 1000;

    private final EventValidator events;

    public BatchValidator(EventValidator events) {
        this.events = events;
    }

    /** Every call valid gives the envelopes in order; otherwise every problem found, by pointer. */
    @SuppressWarnings("unchecked")
    public BatchResult validate(Map<String, Object> body, Instant receivedAt) {
        List<FieldViolation> errors = new ArrayList<>();
        Object batch = body == null ? null : body.get("batch");
        if (!(batch instanceof List<?> calls)) {
            errors.add(new FieldViolation("/batch", batch == null ? "is required" : "must be an array"));
            return new BatchResult(List.of(), errors);
        }
        if (calls.isEmpty()) {
            errors.add(new FieldViolation("/batch", "must contain at least one call"));
        }
        if (calls.size() > MAX_EVENTS) {
            errors.add(new FieldViolation("/batch", "must contain at most " + MAX_EVENTS + " calls, got " + calls.size()));
        }
        Object context = body.get("context");
        if (context != null && !(context instanceof Map)) {
            errors.add(new FieldViolation("/context", "must be a JSON object"));
        }
        if (!errors.isEmpty()) {
            return new BatchResult(List.of(), errors);
        }
        List<EventEnvelope> envelopes = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            Object call = calls.get(i);
            Map<String, Object> raw = call instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
            ValidationResult result = events.validate(raw, null, "/batch/" + i, (Map<String, Object>) context,
                    receivedAt);
            if (result.isValid()) {
                envelopes.add(result.envelope());
            } else {
                errors.addAll(result.errors());
            }
        }
        return errors.isEmpty() ? new BatchResult(envelopes, List.of()) : new BatchResult(List.of(), errors);
    }

    public record BatchResult(List<EventEnvelope> envelopes, List<FieldViolation> errors) {
        public boolean isValid() {
            return errors.isEmpty();
        }
    }
}
