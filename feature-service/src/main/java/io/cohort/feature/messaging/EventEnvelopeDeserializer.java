package io.cohort.feature.messaging;

import io.cohort.contracts.EventEnvelope;

/** Value deserializer for {@code cohort.events.v1}. */
public class EventEnvelopeDeserializer extends TolerantDeserializer<EventEnvelope> {

    public EventEnvelopeDeserializer() {
        super(EventEnvelope.class);
    }
}
