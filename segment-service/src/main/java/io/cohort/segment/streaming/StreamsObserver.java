package io.cohort.segment.streaming;

import io.cohort.contracts.Topics;
import io.cohort.segment.domain.Transition;
import io.cohort.segment.messaging.MembershipMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the stream tasks of this instance report: the same meters as the PostgreSQL path
 * ({@code cohort.segment.view.records{topic,outcome}}, {@code cohort.segment.erased.dropped},
 * {@code cohort.segment.membership.transitions{change}}, {@code cohort.dead.letters{channel}} with the
 * channels {@code features-stream}, {@code scores-stream}, {@code erasure-stream}) and each task's
 * rescan progress, read by {@link BackfillProgress}.
 */
@ApplicationScoped
public class StreamsObserver implements TaskListener {

    static final String DEAD_LETTERS = "cohort.dead.letters";
    private static final Map<String, String> CHANNELS = Map.of(Topics.FEATURES, "features-stream",
            Topics.SCORES, "scores-stream", Topics.ERASURE, "erasure-stream");

    private final MembershipMetrics metrics;
    private final MeterRegistry registry;
    private final EngineConfig config;
    private final Map<String, TaskRescan> rescans = new ConcurrentHashMap<>();

    public StreamsObserver(MembershipMetrics metrics, MeterRegistry registry, EngineConfig config) {
        this.metrics = metrics;
        this.registry = registry;
        this.config = config;
    }

    /** Every dead-letter series of the streams engine exists at 0 from the start, so an alert sees the first one. */
    void start(@Observes StartupEvent event) {
        if (config.streamsEngine()) {
            CHANNELS.values().forEach(channel -> registry.counter(DEAD_LETTERS, "channel", channel));
        }
    }

    static String channel(String topic) {
        return CHANNELS.getOrDefault(topic, "unknown-stream");
    }

    @Override
    public void record(String topic, String outcome) {
        metrics.record(topic, outcome);
        if ("suppressed".equals(outcome)) {
            metrics.erasedDropped(channel(topic));
        }
    }

    @Override
    public void deadLettered(String topic) {
        registry.counter(DEAD_LETTERS, "channel", channel(topic)).increment();
    }

    @Override
    public void transitions(List<Transition> transitions) {
        metrics.transitions(transitions);
    }

    @Override
    public void rescan(String taskId, TaskRescan progress) {
        rescans.put(taskId, progress);
    }

    @Override
    public void closed(String taskId) {
        rescans.remove(taskId);
    }

    /** The last progress reported by each task of this instance, by task id. */
    public Map<String, TaskRescan> rescans() {
        return Map.copyOf(rescans);
    }
}
