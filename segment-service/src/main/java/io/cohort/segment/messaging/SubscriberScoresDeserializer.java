package io.cohort.segment.messaging;

import io.cohort.contracts.SubscriberScores;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class SubscriberScoresDeserializer extends ObjectMapperDeserializer<SubscriberScores> {
    public SubscriberScoresDeserializer() {
        super(SubscriberScores.class);
    }
}
