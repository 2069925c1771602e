package io.cohort.feature.messaging;

import io.cohort.contracts.ErasureRequest;

/** Value deserializer for {@code cohort.erasure.v1}. */
public class ErasureRequestDeserializer extends TolerantDeserializer<ErasureRequest> {

    public ErasureRequestDeserializer() {
        super(ErasureRequest.class);
    }
}
