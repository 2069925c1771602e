package io.cohort.segment.messaging;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.EventEnvelope;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;
import java.nio.charset.StandardCharsets;

/**
 * Reads canonical events, but only those that can be an {@code Email Sent}: every other event
 * (opens, clicks, page views: most of the topic) is dropped before JSON parsing by a byte search
 * for the event name, and arrives as a null value.
 */
public class EventEnvelopeDeserializer extends ObjectMapperDeserializer<EventEnvelope> {

    private static final byte[] NAME = ("\"" + CanonicalEvents.EMAIL_SENT + "\"").getBytes(StandardCharsets.UTF_8);

    public EventEnvelopeDeserializer() {
        super(EventEnvelope.class);
    }

    @Override
    public EventEnvelope deserialize(String topic, byte[] data) {
        return data == null || !contains(data, NAME) ? null : super.deserialize(topic, data);
    }

    static boolean contains(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i <= data.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
