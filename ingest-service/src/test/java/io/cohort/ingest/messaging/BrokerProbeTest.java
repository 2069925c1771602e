package io.cohort.ingest.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The readiness probe against a port where no broker listens (the reachable case: EventsProducerReadinessTest). */
class BrokerProbeTest {

    /** A clock the test moves by hand, to see the cache expire. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-12-05T08:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void noBrokerIsNotReachableAndTheAnswerIsCachedUntilItExpires() throws IOException {
        ManualClock clock = new ManualClock();
        Map<String, Object> connection = Map.of("bootstrap.servers", "localhost:" + freePort());
        try (BrokerProbe probe = new BrokerProbe(connection, "cohort.events.v1", Duration.ofMillis(500),
                Duration.ofSeconds(5), clock)) {
            BrokerProbe.State first = probe.state();
            assertFalse(first.reachable());
            assertNotNull(first.detail());
            assertEquals(0, first.brokers());

            clock.now = clock.now.plusSeconds(4);
            assertEquals(first, probe.state(), "within the cache time the same answer, no new round trip");

            clock.now = clock.now.plusSeconds(2);
            BrokerProbe.State second = probe.state();
            assertFalse(second.reachable());
            assertNotEquals(first.checkedAt(), second.checkedAt());
        }
    }

    @Test
    void unresolvableBootstrapServersAreNotReachable() {
        Map<String, Object> connection = Map.of("bootstrap.servers", "no-such-host.invalid:9092");
        try (BrokerProbe probe = new BrokerProbe(connection, "cohort.events.v1", Duration.ofMillis(500),
                Duration.ofSeconds(5), Clock.systemUTC())) {
            BrokerProbe.State state = probe.state();
            assertFalse(state.reachable());
            assertNotNull(state.detail());
        }
    }
}
