package io.cohort.feature.streaming;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.feature.application.FeatureEngine;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.apache.kafka.streams.Topology;

/**
 * Gives quarkus-kafka-streams its topology only when {@code cohort.feature.engine=streams}. The
 * extension starts Kafka Streams only when a {@link Topology} bean can be looked up;
 * {@link LookupIfProperty} hides this producer otherwise, so with the default engine no Kafka
 * Streams client is created, no group joined and no internal topic created.
 */
@ApplicationScoped
public class TopologyProducer {

    @Produces
    @Singleton
    @LookupIfProperty(name = FeatureEngine.PROPERTY, stringValue = "streams")
    Topology topology(ObjectMapper json, StreamsRfm rfm, Clock clock, StreamsEngineConfig config,
            MeterRegistry registry) {
        return FeatureTopology.build(json, rfm::current, clock, config, new FeatureStreamMetrics(registry));
    }
}
