package io.cohort.segment.streaming;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Refuses to start with both engines live: with {@code cohort.segment.engine=streams} the
 * PostgreSQL consumers of features and scores must be switched off
 * ({@code mp.messaging.incoming.features-in.enabled=false}, same for {@code scores-in}), or every
 * transition would be published twice, once by each engine.
 */
@ApplicationScoped
public class EngineGuard {

    static final List<String> POSTGRES_CHANNELS = List.of("features-in", "scores-in");
    private static final Logger LOG = Logger.getLogger(EngineGuard.class);

    void check(@Observes StartupEvent start, EngineConfig engine, Config config) {
        if (!engine.streamsEngine()) {
            return;
        }
        List<String> live = POSTGRES_CHANNELS.stream()
                .filter(channel -> config.getOptionalValue("mp.messaging.incoming." + channel + ".enabled",
                        Boolean.class).orElse(true))
                .toList();
        if (!live.isEmpty()) {
            throw new IllegalStateException(EngineConfig.ENGINE + "=streams needs the PostgreSQL path's channels "
                    + live + " disabled (mp.messaging.incoming.<channel>.enabled=false)");
        }
        LOG.info("segment engine: streams (preview); views and memberships live in Kafka Streams stores");
    }
}
