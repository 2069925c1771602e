package io.cohort.segment.messaging;

import io.cohort.contracts.MembershipChange;
import io.cohort.segment.domain.Transition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Micrometer counters; incremented only after the transaction they describe has committed. */
@ApplicationScoped
public class MembershipMetrics {

    private final Counter entered;
    private final Counter exited;
    private final Counter published;
    private final MeterRegistry registry;
    private final Timer update;
    private final Counter lookupsFromMemory;
    private final Counter lookupsFromDatabase;

    public MembershipMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.lookupsFromMemory = registry.counter("cohort.segment.lookups", "source", "memory");
        this.lookupsFromDatabase = registry.counter("cohort.segment.lookups", "source", "database");
        this.entered = registry.counter("cohort.segment.membership.transitions", "change", "entered");
        this.exited = registry.counter("cohort.segment.membership.transitions", "change", "exited");
        this.published = registry.counter("cohort.segment.outbox.published");
        this.update = Timer.builder("cohort.segment.membership.update")
                .description("Applying one features or scores record: view, every active segment, outbox")
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .register(registry);
    }

    /** How long one membership update (one input record) took, in nanoseconds. */
    public void updateTook(long nanos) {
        update.record(nanos, TimeUnit.NANOSECONDS);
    }

    public Timer updateTimer() {
        return update;
    }

    /** A segment's size moved more than the configured share in a day. */
    public void sizeAlert(String segmentId) {
        registry.counter("cohort.segment.size.alerts", "segment", segmentId).increment();
    }

    public void transitions(List<Transition> transitions) {
        for (Transition transition : transitions) {
            (transition.change() == MembershipChange.ENTERED ? entered : exited).increment();
        }
    }

    /**
     * A membership lookup answered from the read model, or read through to the database (before the
     * first load, or while a change of this replica to the subscriber or a segment is being loaded).
     */
    public void lookup(boolean fromMemory) {
        (fromMemory ? lookupsFromMemory : lookupsFromDatabase).increment();
    }

    public void published(int count) {
        published.increment(count);
    }

    /**
     * A record of an erased subscriber computed or received at or before the erasure, dropped
     * (counted per incoming channel, never naming the subscriber).
     */
    public void erasedDropped(String channel) {
        registry.counter("cohort.segment.erased.dropped", "channel", channel).increment();
    }

    /** Input records by topic and outcome: applied, stale (not newer), erased (tombstone), suppressed (erased later). */
    public void record(String topic, String outcome) {
        registry.counter("cohort.segment.view.records", "topic", topic, "outcome", outcome).increment();
    }
}
