package io.cohort.feature.streaming;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The streams engine's settings ({@code cohort.feature.engine=streams}; docs/FEATURES.md, "Streams engine"). */
@ConfigMapping(prefix = "cohort.feature.streams")
public interface StreamsEngineConfig {

    /** How long a changed subscriber (or account) waits at most before its vector (rollup) is computed. */
    @WithDefault("200ms")
    Duration coalesce();

    /**
     * How long a changed account waits at most before its rollup goes to its contacts. Each fan-out
     * costs one record and one recompute per contact, so accounts with many contacts that change
     * all the time may want more than the subscribers' 200 ms.
     */
    @WithDefault("200ms")
    Duration accountCoalesce();

    /** How often each task checks for a new UTC day or new RFM boundaries, which start a rescan. */
    @WithDefault("1m")
    Duration slideCheck();

    /** Subscribers recomputed per coalescing tick while a rescan runs (bounded work per punctuation). */
    @WithDefault("5000")
    int slidePage();

    /** Partitions of the two repartition topics; the same as cohort.events.v1 (co-partitioned). */
    @WithDefault("3")
    int partitions();

    /** How often the RFM boundaries are re-read from PostgreSQL for the stream threads (see StreamsRfm). */
    @WithDefault("1m")
    Duration rfmRefresh();

    /** How long a lookup forwarded to the instance owning the subscriber may take. */
    @WithDefault("5s")
    Duration forwardTimeout();
}
