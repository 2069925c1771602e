package io.cohort.model.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * segment-service takes bearer tokens (issue 17): model-service reads a segment's members from its
 * export with its own token, and a refusal of that token is reported as a configuration fault rather
 * than as an unknown segment. Ids are read whole from the CSV, quoted or not.
 */
class SegmentServiceClientTest {

    private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private HttpServer segmentService;
    private SegmentServiceClient client;

    @BeforeEach
    void start() throws Exception {
        segmentService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        segmentService.createContext("/", exchange -> {
            seen.add(exchange.getRequestURI().getRawPath() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = ("subscriber_id,entered_at,holdout\na,2026-03-01T10:00:00Z,false\n\"b,c\",2026-03-01T10:00:00Z,true\n"
                    + "\"d\"\"e\",2026-03-01T10:00:00Z,false\n").getBytes(StandardCharsets.UTF_8);
            if (status.get() != 200) {
                exchange.sendResponseHeaders(status.get(), -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        segmentService.start();
        client = new SegmentServiceClient(new SegmentServiceTokens() {
            @Override
            public String accessToken() {
                return "model-service-token";
            }
        }, "http://127.0.0.1:" + segmentService.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        segmentService.stop(0);
    }

    @Test
    void readsTheExportWithItsOwnToken() {
        // ids holding a comma or a quote arrive quoted (RFC 4180) and are read whole
        assertEquals(Optional.of(Set.of("a", "b,c", "d\"e")), client.members("seed 1"));
        assertEquals(List.of("/v1/segments/seed%201/members:export Bearer model-service-token"), List.copyOf(seen));
    }

    @Test
    void aRefusedTokenIsAFaultNotAnUnknownSegment() {
        status.set(403);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> client.members("seed"));
        assertTrue(refused.getMessage().contains("refused this service's token (403)"), refused.getMessage());
        status.set(404);
        assertEquals(Optional.empty(), client.members("seed"));
    }
}
