package io.cohort.segment.streaming;

import io.cohort.segment.domain.Membership;
import io.cohort.segment.domain.SubscriberView;
import io.cohort.segment.messaging.ServiceTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Interactive queries of the streams engine: a subscriber's memberships and view are read from the
 * stores of the instance that owns the subscriber's partition ({@link KafkaStreams#queryMetadataForKey}).
 * When that is another instance (its {@code application.server}), the caller forwards the request
 * there, marked with {@link #FORWARDED_HEADER} so it is never forwarded twice.
 *
 * <p>Credentials (docs/SECURITY.md): a request forwarded to the owner ({@link #forward}) is the
 * caller's own request and carries the caller's {@code Authorization}, so the owner checks the same
 * token and scope. A question about another instance's share ({@link #ask}: member pages, sizes,
 * score samples, backfill progress) is this service's own, asked for an answer it is already
 * allowed to give or for scheduled work without any caller: it carries this service's token.
 */
@ApplicationScoped
public class StreamsLookup {

    public static final String FORWARDED_HEADER = "X-Cohort-Forwarded";

    private final Instance<KafkaStreams> streams;
    private final EngineConfig config;
    private final Optional<HostInfo> self;
    private final HttpClient http;
    @Inject
    ServiceTokens tokens;

    public StreamsLookup(Instance<KafkaStreams> streams, EngineConfig config,
            @ConfigProperty(name = "quarkus.kafka-streams.application-server") Optional<String> applicationServer) {
        this.streams = streams;
        this.config = config;
        this.self = applicationServer.filter(s -> !s.isBlank()).map(HostInfo::buildFromEndpoint);
        this.http = HttpClient.newBuilder().connectTimeout(config.streams().forwardTimeout()).build();
    }

    public boolean enabled() {
        return config.streamsEngine();
    }

    /** Where a subscriber's state is: here (with it), at another instance, or nowhere queryable right now. */
    public sealed interface Owner permits Local, Remote, Unavailable {
    }

    /** This instance owns the subscriber: their memberships (empty when none) and view (null when unknown). */
    public record Local(List<Membership> memberships, SubscriberView view) implements Owner {
    }

    /** Another instance owns the subscriber. */
    public record Remote(String host, int port) implements Owner {
    }

    /** The stores are being rebuilt or moved (start-up, rebalance): ask again shortly. */
    public record Unavailable(String why) implements Owner {
    }

    /** {@code forwarded}: the request already came from another instance, so answer here or not at all. */
    public Owner find(String subscriberId, boolean forwarded) {
        KafkaStreams kafkaStreams = streams.get();
        if (kafkaStreams == null || kafkaStreams.state() != KafkaStreams.State.RUNNING) {
            return new Unavailable("stream processing is not running (" + (kafkaStreams == null ? "absent"
                    : kafkaStreams.state()) + ")");
        }
        KeyQueryMetadata metadata = kafkaStreams.queryMetadataForKey(MembershipTopology.MEMBERSHIPS, subscriberId,
                Serdes.String().serializer());
        Optional<Owner> elsewhere = route(metadata, self, forwarded);
        if (elsewhere.isPresent()) {
            return elsewhere.get();
        }
        boolean known = isKnown(metadata);
        try {
            StoredMemberships memberships = this.<StoredMemberships>store(kafkaStreams, MembershipTopology.MEMBERSHIPS,
                    metadata, known).get(subscriberId);
            SubscriberView view = this.<SubscriberView>store(kafkaStreams, MembershipTopology.VIEWS, metadata, known)
                    .get(subscriberId);
            return new Local(memberships == null ? List.of() : memberships.items(), view);
        } catch (InvalidStateStoreException e) {
            return new Unavailable("store not queryable: " + e.getMessage());
        }
    }

    /**
     * Where a lookup must go, from the key's metadata and this instance's {@code application.server}:
     * empty to answer here (this instance is the active owner, or, without an application server,
     * a single instance that owns everything it can query); {@link Remote} for another owner;
     * {@link Unavailable} when no owner is known or a forwarded request reached a non-owner.
     */
    static Optional<Owner> route(KeyQueryMetadata metadata, Optional<HostInfo> self, boolean forwarded) {
        if (self.isEmpty()) {
            return Optional.empty();
        }
        if (!isKnown(metadata)) {
            return Optional.of(new Unavailable("no owner known for the subscriber's partition"));
        }
        HostInfo owner = metadata.activeHost();
        if (owner.equals(self.get())) {
            return Optional.empty();
        }
        return Optional.of(forwarded ? new Unavailable("forwarded to an instance that does not own the partition")
                : new Remote(owner.host(), owner.port()));
    }

    private static boolean isKnown(KeyQueryMetadata metadata) {
        return metadata != null && !KeyQueryMetadata.NOT_AVAILABLE.equals(metadata);
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(KafkaStreams kafkaStreams, String name,
            KeyQueryMetadata metadata, boolean known) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> parameters = StoreQueryParameters.fromNameAndType(name,
                QueryableStoreTypes.keyValueStore());
        return kafkaStreams.store(known ? parameters.withPartition(metadata.partition()) : parameters);
    }

    /**
     * The same lookup at the owning instance, with the caller's {@code authorization}; the body and
     * status are passed back as they come.
     */
    public CompletionStage<HttpResponse<String>> forward(Remote owner, String subscriberId, boolean explain,
            Optional<String> authorization) {
        return forward(owner, "/v1/subscribers/" + encode(subscriberId) + "/segments" + (explain ? "?explain=true" : ""),
                authorization);
    }

    /**
     * {@code pathAndQuery} (already encoded) asked of another instance, marked as forwarded, with the
     * caller's own {@code authorization}: the owner verifies the same token and scope, so a forward
     * never reads more than the caller may.
     */
    public CompletionStage<HttpResponse<String>> forward(Remote owner, String pathAndQuery,
            Optional<String> authorization) {
        return http.sendAsync(request(owner, pathAndQuery, authorization).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A path segment, percent-encoded. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * The other instances that hold active partitions ({@link KafkaStreams#metadataForAllStreamsClients}),
     * whose share a listing must merge; none without an {@code application.server} (one instance).
     */
    public List<Remote> others() {
        KafkaStreams kafkaStreams = streams.get();
        if (self.isEmpty() || kafkaStreams == null || kafkaStreams.state() != KafkaStreams.State.RUNNING) {
            if (self.isPresent()) {
                throw new StreamsUnavailableException("stream processing is not running");
            }
            return List.of();
        }
        return kafkaStreams.metadataForAllStreamsClients().stream()
                .filter(client -> !client.hostInfo().equals(self.get()) && !client.topicPartitions().isEmpty())
                .map(client -> new Remote(client.host(), client.port()))
                .toList();
    }

    /**
     * The body of another instance's 200 answer to {@code pathAndQuery}, asked with this service's own
     * token; unavailable on anything else.
     */
    public String ask(Remote other, String pathAndQuery) {
        return answer(other, request(other, pathAndQuery, ownAuthorization()).GET().build());
    }

    /**
     * The body of another instance's 200 answer to a JSON {@code body} posted to {@code path}, marked
     * forwarded and asked with this service's own token; {@code timeout}: the answer may take longer
     * than a lookup's (e.g. a preview scans views).
     */
    public String post(Remote other, String path, String body, java.time.Duration timeout) {
        return answer(other, request(other, path, ownAuthorization()).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** This service's own token as an {@code Authorization} value; unavailable while none can be had. */
    protected Optional<String> ownAuthorization() {
        try {
            return Optional.of("Bearer " + tokens.accessToken());
        } catch (RuntimeException e) {
            throw new StreamsUnavailableException("no access token to ask the other instances: " + e.getMessage());
        }
    }

    private String answer(Remote other, HttpRequest request) {
        try {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 401 || answer.statusCode() == 403) {
                // a configuration fault (client grant, audience), not a passing state: say so
                throw new StreamsUnavailableException("instance " + other.host() + ":" + other.port()
                        + " refused this service's token (" + answer.statusCode() + ")");
            }
            if (answer.statusCode() != 200) {
                throw new StreamsUnavailableException("instance " + other.host() + ":" + other.port() + " answered "
                        + answer.statusCode());
            }
            return answer.body();
        } catch (java.io.IOException e) {
            throw new StreamsUnavailableException("instance " + other.host() + ":" + other.port() + " did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamsUnavailableException("interrupted while asking another instance");
        }
    }

    private HttpRequest.Builder request(Remote other, String pathAndQuery, Optional<String> authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + other.host() + ":" + other.port()
                        + pathAndQuery))
                .timeout(config.streams().forwardTimeout()).header(FORWARDED_HEADER, "true")
                .header("Accept", "application/json");
        authorization.ifPresent(value -> request.header("Authorization", value));
        return request;
    }
}
