package io.cohort.segment.messaging;

import io.cohort.contracts.MembershipChange;
import io.cohort.segment.domain.Transition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Micrometer counters; incremented only after the transaction they describe has committed. */
@ApplicationScoped
public class MembershipMetrics {

    private final Counter entered;
    private final Counter exited;
    private final Counter published;
    private final MeterRegistry registry;

    public MembershipMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.entered = registry.counter("cohort.segment.membership.transitions", "change", "entered");
        this.exited = registry.counter("cohort.segment.membership.transitions", "change", "exited");
        this.published = registry.counter("cohort.segment.outbox.published");
    }

    public void transitions(List<Transition> transitions) {
        for (Transition transition : transitions) {
            (transition.change() == MembershipChange.ENTERED ? entered : exited).increment();
        }
    }

    public void published(int count) {
        published.increment(count);
    }

    /** Input records by topic and outcome: applied, stale (not newer), erased, skipped (unreadable). */
    public void record(String topic, String outcome) {
        registry.counter("cohort.segment.view.records", "topic", topic, "outcome", outcome).increment();
    }
}
