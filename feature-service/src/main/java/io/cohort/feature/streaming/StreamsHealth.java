package io.cohort.feature.streaming;

import io.cohort.feature.application.FeatureEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the feature engine: with streams, ready once Kafka Streams runs (not while it
 * restores stores or rebalances, when lookups answer 503); with postgres always up. Replaces the
 * extension's own checks ({@code quarkus.kafka-streams.health.enabled=false}), which would report the
 * postgres engine as down because no Kafka Streams client exists there.
 */
@Readiness
@ApplicationScoped
public class StreamsHealth implements HealthCheck {

    private final FeatureEngine engine;
    private final Instance<KafkaStreams> streams;

    public StreamsHealth(FeatureEngine engine, Instance<KafkaStreams> streams) {
        this.engine = engine;
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("feature engine").withData("engine",
                engine.kind().name().toLowerCase(java.util.Locale.ROOT));
        if (!engine.streams()) {
            return response.up().build();
        }
        KafkaStreams kafkaStreams = streams.get();
        KafkaStreams.State state = kafkaStreams == null ? null : kafkaStreams.state();
        return response.withData("state", String.valueOf(state)).status(state == KafkaStreams.State.RUNNING).build();
    }
}
