package io.cohort.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** A request to erase everything held about one subscriber, on {@link Topics#ERASURE}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErasureRequest(int schemaVersion, String requestId, String subscriberId, Instant requestedAt) {

    public static final int SCHEMA_VERSION = 1;
}
