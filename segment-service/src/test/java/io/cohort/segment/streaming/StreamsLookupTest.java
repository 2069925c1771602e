package io.cohort.segment.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** Routing of lookups to the instance that owns the subscriber's partition, and the forwarded call. */
class StreamsLookupTest {

    private static final HostInfo SELF = new HostInfo("10.0.0.1", 8084);
    private static final HostInfo OTHER = new HostInfo("10.0.0.2", 8084);

    @Test
    void answersHereOnlyWhenThisInstanceOwnsThePartition() {
        assertEquals(Optional.empty(), StreamsLookup.route(owned(SELF), Optional.of(SELF), false));
        assertEquals(Optional.of(new StreamsLookup.Remote("10.0.0.2", 8084)),
                StreamsLookup.route(owned(OTHER), Optional.of(SELF), false));
        assertInstanceOf(StreamsLookup.Unavailable.class,
                StreamsLookup.route(owned(OTHER), Optional.of(SELF), true).orElseThrow(), "never forwarded twice");
        assertInstanceOf(StreamsLookup.Unavailable.class,
                StreamsLookup.route(KeyQueryMetadata.NOT_AVAILABLE, Optional.of(SELF), false).orElseThrow());
        assertEquals(Optional.empty(), StreamsLookup.route(KeyQueryMetadata.NOT_AVAILABLE, Optional.empty(), false),
                "without an application server a single instance answers from what it holds");
    }

    @Test
    void forwardsTheLookupMarkedAsForwardedWithTheCallersToken() throws Exception {
        HttpServer owner = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        AtomicReference<String> seen = new AtomicReference<>();
        owner.createContext("/", exchange -> {
            seen.set(exchange.getRequestURI().getRawPath() + "?" + exchange.getRequestURI().getRawQuery() + " "
                    + exchange.getRequestHeaders().getFirst(StreamsLookup.FORWARDED_HEADER) + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"subscriberId\":\"a b\",\"segments\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        owner.start();
        try {
            StreamsLookup lookup = new StreamsLookup(null, config(), Optional.of("10.0.0.1:8084"));
            lookup.tokens = ownToken();
            StreamsLookup.Remote remote = new StreamsLookup.Remote("localhost", owner.getAddress().getPort());
            var answer = lookup.forward(remote, "a b", true, Optional.of("Bearer callers-token"))
                    .toCompletableFuture().get();
            assertEquals(200, answer.statusCode());
            assertEquals("{\"subscriberId\":\"a b\",\"segments\":[]}", answer.body());
            // the owner checks the caller's own token and scope, never this service's
            assertEquals("/v1/subscribers/a%20b/segments?explain=true true Bearer callers-token", seen.get());

            // asking another instance for its share is this service's own question: its own token
            lookup.ask(remote, "/v1/segments/s/size");
            assertEquals("/v1/segments/s/size?null true Bearer own-token", seen.get());
        } finally {
            owner.stop(0);
        }
    }

    @Test
    void anInstanceRefusingThisServicesTokenIsNamedAsSuch() throws Exception {
        HttpServer other = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        other.createContext("/", exchange -> {
            exchange.sendResponseHeaders(403, -1);
            exchange.close();
        });
        other.start();
        try {
            StreamsLookup lookup = new StreamsLookup(null, config(), Optional.of("10.0.0.1:8084"));
            lookup.tokens = ownToken();
            StreamsUnavailableException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    StreamsUnavailableException.class, () -> lookup.ask(new StreamsLookup.Remote("localhost",
                            other.getAddress().getPort()), "/v1/segments/s/size"));
            org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("refused this service's token (403)"),
                    refused.getMessage());
        } finally {
            other.stop(0);
        }
    }

    /** This service's token, as the OIDC client would hand it out (the issuer is not asked here). */
    private static io.cohort.segment.messaging.ServiceTokens ownToken() {
        return new io.cohort.segment.messaging.ServiceTokens() {
            @Override
            public String accessToken() {
                return "own-token";
            }
        };
    }

    private static KeyQueryMetadata owned(HostInfo host) {
        return new KeyQueryMetadata(host, Set.of(), 1);
    }

    private static EngineConfig config() {
        return new EngineConfig() {
            @Override
            public Engine engine() {
                return Engine.STREAMS;
            }

            @Override
            public Streams streams() {
                return new Streams() {
                    @Override
                    public Duration definitionsRefresh() {
                        return Duration.ofSeconds(1);
                    }

                    @Override
                    public Duration rescanCheck() {
                        return Duration.ofSeconds(2);
                    }

                    @Override
                    public Duration rescanPageInterval() {
                        return Duration.ofMillis(50);
                    }

                    @Override
                    public int rescanBatch() {
                        return 1000;
                    }

                    @Override
                    public Duration backfillCheck() {
                        return Duration.ofSeconds(1);
                    }

                    @Override
                    public Duration forwardTimeout() {
                        return Duration.ofSeconds(5);
                    }

                    @Override
                    public Duration previewTimeout() {
                        return Duration.ofSeconds(60);
                    }

                    @Override
                    public Duration backfillWait() {
                        return Duration.ofSeconds(30);
                    }

                    @Override
                    public Duration backfillWaitPoll() {
                        return Duration.ofMillis(200);
                    }
                };
            }

            @Override
            public ModelService modelService() {
                return null;
            }
        };
    }
}
