package io.cohort.feature.api;

/** A lookup the streams engine cannot answer right now (restoring, rebalancing, owner unreachable): 503, retry. */
public class StreamsUnavailableException extends RuntimeException {

    public StreamsUnavailableException(String why) {
        super("The feature stores are not queryable right now: " + why);
    }
}
