package io.cohort.segment.messaging;

import io.cohort.contracts.FeatureVector;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class FeatureVectorDeserializer extends ObjectMapperDeserializer<FeatureVector> {
    public FeatureVectorDeserializer() {
        super(FeatureVector.class);
    }
}
