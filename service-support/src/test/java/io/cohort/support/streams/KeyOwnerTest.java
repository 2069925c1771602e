package io.cohort.support.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class KeyOwnerTest {

    private static final HostInfo SELF = new HostInfo("10.0.0.1", 8082);
    private static final HostInfo OTHER = new HostInfo("10.0.0.2", 8082);

    @Test
    void theOwnerAnswersItselfAndOthersForwardOnceOnly() {
        KeyQueryMetadata mine = new KeyQueryMetadata(SELF, Set.of(), 2);
        KeyQueryMetadata theirs = new KeyQueryMetadata(OTHER, Set.of(), 1);
        assertEquals(new KeyOwner.Here(2), KeyOwner.route(mine, Optional.of(SELF), false));
        assertEquals(new KeyOwner.There("10.0.0.2", 8082), KeyOwner.route(theirs, Optional.of(SELF), false));
        assertInstanceOf(KeyOwner.Unavailable.class, KeyOwner.route(theirs, Optional.of(SELF), true),
                "a forwarded request is never forwarded again");
        assertInstanceOf(KeyOwner.Unavailable.class,
                KeyOwner.route(KeyQueryMetadata.NOT_AVAILABLE, Optional.of(SELF), false));
        assertEquals(new KeyOwner.Here(-1), KeyOwner.route(KeyQueryMetadata.NOT_AVAILABLE, Optional.empty(), false),
                "without an application server a single instance answers from what it holds");
    }

    @Test
    void aForwardCarriesTheCallersTokenAndTheMark() throws Exception {
        HttpServer owner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        owner.createContext("/", exchange -> {
            seen.add(exchange.getRequestHeaders().getFirst("Authorization") + "|"
                    + exchange.getRequestHeaders().getFirst(KeyOwner.FORWARDED_HEADER));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        owner.start();
        try {
            KeyOwner.There there = new KeyOwner.There("127.0.0.1", owner.getAddress().getPort());
            HttpClient http = HttpClient.newHttpClient();
            assertEquals(204, there.forward(http, "/v1/x", Duration.ofSeconds(5), Optional.of("Bearer abc"))
                    .toCompletableFuture().join().statusCode());
            there.forward(http, "/v1/x", Duration.ofSeconds(5), Optional.empty()).toCompletableFuture().join();
            // the owner verifies the caller's own token: a forward never answers with more than it may read
            assertEquals(java.util.List.of("Bearer abc|true", "null|true"), java.util.List.copyOf(seen));
        } finally {
            owner.stop(0);
        }
    }
}
