package io.cohort.ingest.messaging;

import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the events producer ({@link EventPublisher} is a plain Kafka producer, so the
 * messaging extension's channel checks do not cover it): DOWN while the cluster does not answer
 * or lacks the events topic, so no traffic is routed to a pod that could only answer 500.
 */
@Readiness
@ApplicationScoped
public class EventsProducerReadiness implements HealthCheck {

    static final String NAME = "cohort-events-producer";

    private final BrokerProbe probe;
    private final String topic;

    public EventsProducerReadiness(@Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "cohort.ingest.events.topic", defaultValue = "cohort.events.v1") String topic,
            @ConfigProperty(name = "cohort.ingest.events.readiness-timeout", defaultValue = "2s") Duration timeout,
            @ConfigProperty(name = "cohort.ingest.events.readiness-cache", defaultValue = "5s") Duration cacheFor) {
        this.topic = topic;
        this.probe = new BrokerProbe(EventPublisher.clientConfig(kafka), topic, timeout, cacheFor, Clock.systemUTC());
    }

    @Override
    public HealthCheckResponse call() {
        BrokerProbe.State state = probe.state();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(state.reachable())
                .withData("topic", topic).withData("brokers", state.brokers())
                .withData("checkedAt", state.checkedAt().toString());
        if (state.detail() != null) {
            response.withData("error", state.detail());
        }
        return response.build();
    }

    @PreDestroy
    void close() {
        probe.close();
    }
}
