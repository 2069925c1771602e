package io.cohort.ingest.domain;

import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.http.FieldViolation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates a Segment {@code /v1/batch} body: {@code {"batch": [calls], "context": {...}}}.
 *
 * <p>Partial success: the batch envelope itself (the {@code batch} array, its size, the shared
 * {@code context}) must be valid, otherwise nothing is accepted. Within a valid envelope each call
 * stands alone: the valid calls are accepted and every invalid one is reported by its index with
 * its errors (pointers such as {@code /batch/3/event}).
 */
public final class BatchValidator {

    public static final int MAX_EVENTS = 1000;

    private final EventValidator events;

    public BatchValidator(EventValidator events) {
        this.events = events;
    }

    /** The valid calls' envelopes in order, the invalid calls by index, or the envelope's own errors. */
    @SuppressWarnings("unchecked")
    public BatchResult validate(Map<String, Object> body, Instant receivedAt) {
        List<FieldViolation> errors = new ArrayList<>();
        Object batch = body == null ? null : body.get("batch");
        if (!(batch instanceof List<?> calls)) {
            errors.add(new FieldViolation("/batch", batch == null ? "is required" : "must be an array"));
            return BatchResult.envelopeInvalid(errors);
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
        // merged into every call: one unstorable value in it would spoil them all
        StorableValues.check(context, "/context", errors);
        if (!errors.isEmpty()) {
            return BatchResult.envelopeInvalid(errors);
        }
        List<EventEnvelope> envelopes = new ArrayList<>(calls.size());
        List<RejectedCall> rejected = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            Object call = calls.get(i);
            Map<String, Object> raw = call instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
            ValidationResult result = events.validate(raw, null, "/batch/" + i, (Map<String, Object>) context,
                    receivedAt);
            if (result.isValid()) {
                envelopes.add(result.envelope());
            } else {
                rejected.add(new RejectedCall(i, result.errors(), call));
            }
        }
        return new BatchResult(envelopes, List.of(), rejected);
    }

    /** One call of the batch that was refused, with its errors and the call as received. */
    public record RejectedCall(int index, List<FieldViolation> errors, Object call) {
    }

    /**
     * {@code errors} are the envelope's own problems (then nothing else is set); otherwise
     * {@code envelopes} are the valid calls and {@code rejected} the invalid ones.
     */
    public record BatchResult(List<EventEnvelope> envelopes, List<FieldViolation> errors, List<RejectedCall> rejected) {

        static BatchResult envelopeInvalid(List<FieldViolation> errors) {
            return new BatchResult(List.of(), List.copyOf(errors), List.of());
        }

        /** The envelope is fine and every call is valid. */
        public boolean isValid() {
            return errors.isEmpty() && rejected.isEmpty();
        }

        /** Nothing can be accepted: the envelope is invalid or every call is. */
        public boolean nothingAcceptable() {
            return envelopes.isEmpty();
        }

        /** Every error of the batch: the envelope's, else every rejected call's, in order. */
        public List<FieldViolation> allErrors() {
            if (!errors.isEmpty()) {
                return errors;
            }
            return rejected.stream().flatMap(r -> r.errors().stream()).toList();
        }
    }
}
