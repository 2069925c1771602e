package io.cohort.feature.streaming;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The streams engine's meters: events applied and dropped, vectors and tombstones published, how
 * long a changed subscriber waited for its vector (the coalescing delay), rollups fanned out, and
 * dead letters under the same {@code cohort.dead.letters{channel}} as the SmallRye consumers.
 */
public final class FeatureStreamMetrics {

    static final String EVENTS_CHANNEL = "events-stream";
    static final String ERASURE_CHANNEL = "erasure-stream";

    private final MeterRegistry registry;
    private final Counter applied;
    private final Counter suppressed;
    private final Counter published;
    private final Counter unchanged;
    private final Counter tombstones;
    private final Counter fannedOut;
    private final Timer coalescingDelay;

    public FeatureStreamMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.applied = registry.counter("cohort.feature.streams.events", "outcome", "processed");
        this.suppressed = registry.counter("cohort.feature.streams.events", "outcome", "suppressed");
        this.published = registry.counter("cohort.feature.streams.vectors", "outcome", "published");
        this.unchanged = registry.counter("cohort.feature.streams.vectors", "outcome", "unchanged");
        this.tombstones = registry.counter("cohort.feature.streams.tombstones");
        this.fannedOut = registry.counter("cohort.feature.streams.account.rollups.fanned.out");
        this.coalescingDelay = Timer.builder("cohort.feature.streams.coalescing.delay")
                .description("from a subscriber's first change to the computation of their vector")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    void applied() {
        applied.increment();
    }

    void suppressed() {
        suppressed.increment();
    }

    void computed(boolean changed, Duration waited) {
        (changed ? published : unchanged).increment();
        coalescingDelay.record(waited.isNegative() ? Duration.ZERO : waited);
    }

    void tombstone() {
        tombstones.increment();
    }

    void fannedOut(int contacts) {
        fannedOut.increment(contacts);
    }

    void deadLetter(String channel) {
        registry.counter("cohort.dead.letters", "channel", channel).increment();
    }
}
