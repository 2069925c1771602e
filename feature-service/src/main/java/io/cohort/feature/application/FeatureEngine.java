package io.cohort.feature.application;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which engine computes and publishes the vectors ({@code cohort.feature.engine}):
 * {@code postgres} recomputes each changed subscriber from PostgreSQL rows
 * (AccountRefresh, FeatureSweep); {@code streams} (default) computes them in Kafka Streams state
 * stores ({@code streaming/}), and PostgreSQL then only keeps the history (daily rows, timeline,
 * sends, profiles, accounts, data quality) for training sets, exports, timeline and data quality.
 * The one place that decides which of the PostgreSQL path's jobs run.
 */
@ApplicationScoped
public class FeatureEngine {

    /** The property that selects the engine. */
    public static final String PROPERTY = "cohort.feature.engine";

    public enum Kind {
        POSTGRES, STREAMS
    }

    private final Kind kind;

    public FeatureEngine(@ConfigProperty(name = PROPERTY, defaultValue = "streams") String engine) {
        this.kind = Kind.valueOf(engine.trim().toUpperCase(java.util.Locale.ROOT));
    }

    public Kind kind() {
        return kind;
    }

    public boolean streams() {
        return kind == Kind.STREAMS;
    }

    /**
     * Whether the PostgreSQL path computes and publishes vectors (and tombstones): the refresh, the
     * sweep's recompute and the consumers' publishes. Off under streams, where the topology does it.
     */
    public boolean postgresPublishesVectors() {
        return kind == Kind.POSTGRES;
    }
}
