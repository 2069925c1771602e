package io.cohort.segment.streaming;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Which engine keeps views and memberships: {@code streams} (default: Kafka Streams stores,
 * exactly-once v2, interactive queries) or {@code postgres} (one transaction per record, outbox).
 * See docs/SEGMENTS.md, "Streams engine".
 */
@ConfigMapping(prefix = "cohort.segment")
public interface EngineConfig {

    /** The property that selects the engine. */
    String ENGINE = "cohort.segment.engine";

    @WithDefault("streams")
    Engine engine();

    Streams streams();

    /**
     * model-service, for lookalike segments: mapped here because it shares the {@code cohort.segment}
     * namespace (a mapping owns its whole prefix); {@code ModelServiceClient} reads the same keys.
     */
    ModelService modelService();

    default boolean streamsEngine() {
        return engine() == Engine.STREAMS;
    }

    enum Engine {
        POSTGRES, STREAMS
    }

    interface ModelService {

        @WithDefault("http://localhost:8083")
        String url();

        @WithDefault("60s")
        Duration timeout();
    }

    interface Streams {

        /** How often the active segment definitions are compared with PostgreSQL (streams engine only). */
        @WithDefault("1s")
        Duration definitionsRefresh();

        /** How often each stream task checks for changed definitions and then re-evaluates its views. */
        @WithDefault("2s")
        Duration rescanCheck();

        /** How often a task's rescan in progress evaluates its next page (records flow in between). */
        @WithDefault("50ms")
        Duration rescanPageInterval();

        /** Views a task re-evaluates per page of a rescan: bounds the time one punctuation holds the thread. */
        @WithDefault("1000")
        int rescanBatch();

        /** How often running backfill jobs are brought up to date with the tasks' rescans (StreamsBackfills). */
        @WithDefault("1s")
        Duration backfillCheck();

        /** How long a lookup forwarded to the instance owning the subscriber may take. */
        @WithDefault("5s")
        Duration forwardTimeout();

        /** How long another instance may take to evaluate a preview over its views (it scans all of them). */
        @WithDefault("60s")
        Duration previewTimeout();

        /**
         * How long a synchronous create or edit waits for its backfill (every task's rescan) before it
         * answers 202 with the job instead of 201/200 (docs/SEGMENTS.md, "Streams engine").
         */
        @WithDefault("30s")
        Duration backfillWait();

        /** How often a synchronous create or edit looks at its backfill while waiting. */
        @WithDefault("200ms")
        Duration backfillWaitPoll();
    }
}
