package io.cohort.segment.streaming;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.apache.kafka.streams.Topology;

/**
 * Gives quarkus-kafka-streams its topology only when {@code cohort.segment.engine=streams}. The
 * extension starts Kafka Streams only when a {@link Topology} bean can be looked up
 * ({@code Instance<Topology>} satisfied); {@link LookupIfProperty} hides this producer otherwise,
 * so with the default engine no Kafka Streams client is created and no group is joined.
 */
@ApplicationScoped
public class TopologyProducer {

    @Produces
    @Singleton
    @LookupIfProperty(name = EngineConfig.ENGINE, stringValue = "streams")
    Topology topology(ObjectMapper json, SegmentRegistry segments, Clock clock, EngineConfig config,
            StreamsObserver observer) {
        EngineConfig.Streams streams = config.streams();
        return MembershipTopology.build(json, segments, clock, new MembershipTopology.Settings(streams.rescanCheck(),
                streams.rescanPageInterval(), streams.rescanBatch()), observer);
    }
}
