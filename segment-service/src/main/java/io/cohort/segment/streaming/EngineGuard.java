package io.cohort.segment.streaming;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Refuses to start with both engines live or with none: with {@code cohort.segment.engine=streams}
 * the PostgreSQL consumers of features and scores must be switched off
 * ({@code mp.messaging.incoming.features-in.enabled=false}, same for {@code scores-in}), or every
 * transition would be published twice, once by each engine; with {@code postgres} they must be on,
 * or no view would ever change.
 */
@ApplicationScoped
public class EngineGuard {

    static final List<String> POSTGRES_CHANNELS = List.of("features-in", "scores-in");
    private static final Logger LOG = Logger.getLogger(EngineGuard.class);

    void check(@Observes StartupEvent start, EngineConfig engine, Config config) {
        List<String> live = POSTGRES_CHANNELS.stream()
                .filter(channel -> config.getOptionalValue("mp.messaging.incoming." + channel + ".enabled",
                        Boolean.class).orElse(true))
                .toList();
        if (!engine.streamsEngine()) {
            if (live.size() != POSTGRES_CHANNELS.size()) {
                throw new IllegalStateException(EngineConfig.ENGINE + "=postgres needs the channels "
                        + POSTGRES_CHANNELS + " enabled (mp.messaging.incoming.<channel>.enabled=true)");
            }
            return;
        }
        if (!live.isEmpty()) {
            throw new IllegalStateException(EngineConfig.ENGINE + "=streams needs the PostgreSQL path's channels "
                    + live + " disabled (mp.messaging.incoming.<channel>.enabled=false)");
        }
        LOG.info("segment engine: streams; views and memberships live in Kafka Streams stores");
    }
}
