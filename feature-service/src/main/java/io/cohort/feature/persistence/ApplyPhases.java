package io.cohort.feature.persistence;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where a consumed poll's time goes: one timer per phase,
 * {@code cohort.feature.apply.phase{phase=...}} (the benchmark prints their sums). Costs a
 * {@code System.nanoTime()} and a timer update per phase and poll, nothing per event.
 */
@ApplicationScoped
public class ApplyPhases {

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public ApplyPhases(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A start mark for {@link #lap}. */
    public long start() {
        return System.nanoTime();
    }

    /** Records the time since {@code since} under {@code phase}; returns the new mark. */
    public long lap(String phase, long since) {
        long now = System.nanoTime();
        timers.computeIfAbsent(phase, p -> Timer.builder("cohort.feature.apply.phase").tag("phase", p)
                .register(registry)).record(now - since, TimeUnit.NANOSECONDS);
        return now;
    }
}
