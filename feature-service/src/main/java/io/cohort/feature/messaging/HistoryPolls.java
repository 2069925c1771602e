package io.cohort.feature.messaging;

import io.cohort.feature.application.FeatureEngine;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;

/**
 * Larger polls for the history consumer when it is off the hot path. Under the streams engine the
 * {@code events-in} consumer only writes the PostgreSQL history (training sets, timeline, data
 * quality), and every poll costs the same dozen set-based statements and a commit whatever its size;
 * at a steady rate the default fetch (answered as soon as one record is there) makes many small
 * polls. The broker is asked to hold each fetch until {@code fetch-min-bytes} are there or
 * {@code fetch-max-wait} has passed, so a poll carries up to that much more. Under the postgres
 * engine the same consumer computes the vectors (the hot path) and keeps Kafka's defaults; a value
 * set on the channel itself always wins.
 */
@ApplicationScoped
public class HistoryPolls implements ClientCustomizer<Map<String, Object>> {

    static final String FETCH_MIN_BYTES = "fetch.min.bytes";
    static final String FETCH_MAX_WAIT_MS = "fetch.max.wait.ms";

    /** How the history consumer fetches under the streams engine. */
    @ConfigMapping(prefix = "cohort.feature.history")
    public interface Settings {

        /** Bytes the broker gathers before it answers a fetch (512 KiB: about a thousand events). */
        @WithDefault("524288")
        int fetchMinBytes();

        /** The longest the broker holds a fetch waiting for them: what the history may trail the events by. */
        @WithDefault("500ms")
        Duration fetchMaxWait();
    }

    private final boolean historyOnly;
    private final Settings settings;

    public HistoryPolls(FeatureEngine engine, Settings settings) {
        this.historyOnly = !engine.postgresPublishesVectors();
        this.settings = settings;
    }

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> config) {
        return customize(historyOnly, settings, channel, config);
    }

    static Map<String, Object> customize(boolean historyOnly, Settings settings, String channel,
            Map<String, Object> config) {
        if (!historyOnly || !EventConsumer.CHANNEL.equals(channel)) {
            return config;
        }
        Map<String, Object> customized = new HashMap<>(config);
        customized.putIfAbsent(FETCH_MIN_BYTES, Integer.toString(settings.fetchMinBytes()));
        customized.putIfAbsent(FETCH_MAX_WAIT_MS, Long.toString(settings.fetchMaxWait().toMillis()));
        return customized;
    }
}
