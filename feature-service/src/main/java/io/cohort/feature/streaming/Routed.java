package io.cohort.feature.streaming;

/**
 * A record the subscriber processor forwards, with where it goes: a vector or tombstone to
 * cohort.features.v1, an {@link AccountInput} to the account repartition, or a dead letter (the
 * original bytes). Never serialized: the topology splits on {@code route} before any sink.
 */
record Routed(Route route, Object payload) {

    enum Route {
        VECTOR, ACCOUNT, DEAD_LETTER
    }
}
