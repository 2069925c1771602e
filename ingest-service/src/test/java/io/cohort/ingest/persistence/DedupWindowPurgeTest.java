package io.cohort.ingest.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.devstack.DevStackTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class DedupWindowPurgeTest {

    @Inject
    DedupWindowPurge purge;

    @Inject
    AcceptedMessageRepository accepted;

    @Test
    void theDefaultWindowOutlivesTheEventsTopicRetention() {
        assertEquals(Duration.ofDays(35), purge.window());
    }

    @Test
    void forgetsIdsOlderThanTheWindowInBoundedBatchesAndKeepsTheRest() {
        // a "now" long past: the rows other tests accepted at the real now are never before its cutoff
        Instant now = Instant.parse("2000-01-01T00:00:00Z");
        String run = UUID.randomUUID().toString();
        List<String> old = new ArrayList<>();
        // more than one purge batch (test profile: 10 rows), so the loop must go round several times
        for (int i = 0; i < 25; i++) {
            old.add("old-" + run + "-" + i);
        }
        String edge = "edge-" + run;
        String recent = "recent-" + run;
        QuarkusTransaction.requiringNew().run(() -> {
            for (String id : old) {
                accepted.claim(id, now.minus(Duration.ofDays(36)));
            }
            accepted.claim(edge, now.minus(purge.window()));
            accepted.claim(recent, now.minus(Duration.ofDays(34)));
        });

        long deleted = purge.purge(now);

        assertEquals(old.size(), deleted);
        QuarkusTransaction.requiringNew().run(() -> {
            old.forEach(id -> assertFalse(accepted.isClaimed(id), id));
            assertTrue(accepted.isClaimed(edge), "exactly the window old is still remembered");
            assertTrue(accepted.isClaimed(recent));
        });
        assertEquals(0, purge.purge(now), "a second run finds nothing left to forget");
    }
}
