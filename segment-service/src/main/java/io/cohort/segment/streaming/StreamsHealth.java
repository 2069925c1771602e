package io.cohort.segment.streaming;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the streams engine: ready once Kafka Streams runs (not while it restores stores or
 * rebalances, when lookups would answer 503). Replaces the extension's own checks
 * ({@code quarkus.kafka-streams.health.enabled=false}), which would report the postgres engine as
 * down because no Kafka Streams client exists there; with that engine this check is always up.
 */
@Readiness
@ApplicationScoped
public class StreamsHealth implements HealthCheck {

    private final EngineConfig config;
    private final Instance<KafkaStreams> streams;

    public StreamsHealth(EngineConfig config, Instance<KafkaStreams> streams) {
        this.config = config;
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("segment engine").withData("engine",
                config.engine().name().toLowerCase(java.util.Locale.ROOT));
        if (!config.streamsEngine()) {
            return response.up().build();
        }
        KafkaStreams kafkaStreams = streams.get();
        KafkaStreams.State state = kafkaStreams == null ? null : kafkaStreams.state();
        return response.withData("state", String.valueOf(state))
                .status(state == KafkaStreams.State.RUNNING).build();
    }
}
