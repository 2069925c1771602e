package io.cohort.support.streams;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where an interactive query for one key must be answered: here, at the instance that owns the
 * key's partition (its {@code application.server}), or nowhere right now (stores restoring or
 * moving). A request forwarded to the owner carries {@link #FORWARDED_HEADER}, so it is never
 * forwarded twice: an instance that gets a forwarded request for a key it does not own answers
 * "unavailable" (the client retries) instead of bouncing it on. Plain Java, shared by the services.
 */
public sealed interface KeyOwner permits KeyOwner.Here, KeyOwner.There, KeyOwner.Unavailable {

    String FORWARDED_HEADER = "X-Cohort-Forwarded";

    /** This instance owns the key: read it from the local store, at this partition (-1: any local one). */
    record Here(int partition) implements KeyOwner {
    }

    /** Another instance owns the key. */
    record There(String host, int port) implements KeyOwner {

        /** {@link #forward(HttpClient, String, Duration, Optional)} without credentials (an open API). */
        public CompletionStage<HttpResponse<String>> forward(HttpClient http, String pathAndQuery, Duration timeout) {
            return forward(http, pathAndQuery, timeout, Optional.empty());
        }

        /**
         * The same GET at the owner, marked as forwarded; the body and status come back as they are.
         * {@code pathAndQuery} starts with "/" and is already encoded. {@code authorization} is the
         * caller's own {@code Authorization} header, passed on so the owner verifies the same bearer
         * token and scope (a forward never widens what the caller may read).
         */
        public CompletionStage<HttpResponse<String>> forward(HttpClient http, String pathAndQuery, Duration timeout,
                Optional<String> authorization) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + pathAndQuery))
                    .timeout(timeout).header(FORWARDED_HEADER, "true").header("Accept", "application/json").GET();
            authorization.ifPresent(value -> request.header("Authorization", value));
            return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** No owner can answer now (not running, restoring, rebalancing): ask again shortly. */
    record Unavailable(String why) implements KeyOwner {
    }

    /**
     * Finds the owner of {@code key} in {@code store}: {@code streams} null or not RUNNING is
     * {@link Unavailable}; {@code self} is this instance's {@code application.server} (empty: a single
     * instance that answers everything it holds); {@code forwarded} whether the request came from
     * another instance.
     */
    static <K> KeyOwner of(KafkaStreams streams, String store, K key,
            org.apache.kafka.common.serialization.Serializer<K> keySerializer, Optional<HostInfo> self,
            boolean forwarded) {
        if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
            return new Unavailable("stream processing is not running (" + (streams == null ? "absent"
                    : streams.state()) + ")");
        }
        return route(streams.queryMetadataForKey(store, key, keySerializer), self, forwarded);
    }

    /** {@link #of} once the key's metadata is known (pure, for tests). */
    static KeyOwner route(KeyQueryMetadata metadata, Optional<HostInfo> self, boolean forwarded) {
        boolean known = metadata != null && !KeyQueryMetadata.NOT_AVAILABLE.equals(metadata);
        if (self.isEmpty()) {
            return new Here(known ? metadata.partition() : -1);
        }
        if (!known) {
            return new Unavailable("no owner known for the key's partition");
        }
        HostInfo owner = metadata.activeHost();
        if (owner.equals(self.get())) {
            return new Here(metadata.partition());
        }
        return forwarded ? new Unavailable("forwarded to an instance that does not own the partition")
                : new There(owner.host(), owner.port());
    }
}
