package io.cohort.feature.streaming;

import io.cohort.contracts.FeatureVector;
import io.cohort.feature.domain.StreamedSubscriber;
import io.cohort.support.streams.KeyOwner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Interactive query of the streams engine: a subscriber's vector as last published, read from the
 * {@code subscriber-state} store of the instance that owns the subscriber's partition; another
 * owner is asked over HTTP ({@link KeyOwner}: forwarded once, never twice).
 */
@ApplicationScoped
public class StreamsFeatureLookup {

    private final Instance<KafkaStreams> streams;
    private final StreamsEngineConfig config;
    private final Optional<HostInfo> self;
    private final HttpClient http;

    public StreamsFeatureLookup(Instance<KafkaStreams> streams, StreamsEngineConfig config,
            @ConfigProperty(name = "quarkus.kafka-streams.application-server") Optional<String> applicationServer) {
        this.streams = streams;
        this.config = config;
        this.self = applicationServer.filter(s -> !s.isBlank()).map(HostInfo::buildFromEndpoint);
        this.http = HttpClient.newBuilder().connectTimeout(config.forwardTimeout()).build();
    }

    /** The answer for one subscriber: the vector here (empty: none held), the owner elsewhere, or unavailable. */
    public sealed interface Answer permits Held, Elsewhere, Unavailable {
    }

    public record Held(Optional<FeatureVector> vector) implements Answer {
    }

    public record Elsewhere(KeyOwner.There owner) implements Answer {
    }

    public record Unavailable(String why) implements Answer {
    }

    public Answer vector(String subscriberId, boolean forwarded) {
        KafkaStreams kafkaStreams = streams.isResolvable() ? streams.get() : null;
        KeyOwner owner = KeyOwner.of(kafkaStreams, FeatureTopology.SUBSCRIBERS, subscriberId,
                Serdes.String().serializer(), self, forwarded);
        if (owner instanceof KeyOwner.There there) {
            return new Elsewhere(there);
        }
        if (owner instanceof KeyOwner.Unavailable unavailable) {
            return new Unavailable(unavailable.why());
        }
        int partition = ((KeyOwner.Here) owner).partition();
        try {
            StoreQueryParameters<ReadOnlyKeyValueStore<String, StreamedSubscriber>> parameters = StoreQueryParameters
                    .fromNameAndType(FeatureTopology.SUBSCRIBERS, QueryableStoreTypes.keyValueStore());
            StreamedSubscriber held = kafkaStreams.store(partition >= 0 ? parameters.withPartition(partition)
                    : parameters).get(subscriberId);
            return new Held(Optional.ofNullable(held).filter(s -> s.features() != null)
                    .map(s -> new FeatureVector(FeatureVector.SCHEMA_VERSION, subscriberId, s.version(),
                            s.computedAt(), s.features(), s.labels())));
        } catch (InvalidStateStoreException e) {
            return new Unavailable("store not queryable: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The same lookup at the owning instance, with the caller's own {@code Authorization} (the owner
     * checks the same token); its status and body come back as they are.
     */
    public CompletionStage<HttpResponse<String>> forward(KeyOwner.There owner, String subscriberId,
            Optional<String> authorization) {
        return owner.forward(http, "/v1/subscribers/" + URLEncoder.encode(subscriberId, StandardCharsets.UTF_8)
                .replace("+", "%20") + "/features", config.forwardTimeout(), authorization);
    }
}
