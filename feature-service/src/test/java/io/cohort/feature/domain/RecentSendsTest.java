package io.cohort.feature.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The last sends kept in the streams state, as the recent_send rows keep them. */
class RecentSendsTest {

    private static final Instant T = Instant.parse("2026-02-01T10:00:00Z");

    @Test
    void anEngagementBeforeItsSendCountsOnceTheSendArrivesAndOnlyTheNewestFiveCount() {
        List<RecentSends.RecentSend> sends = RecentSends.apply(List.of(),
                new EventSignals.SendSignal("email:x", false, true), T);
        assertEquals(0, RecentSends.engagedOfLast5(sends), "an orphan engagement is no send yet");
        sends = RecentSends.apply(sends, new EventSignals.SendSignal("email:x", true, false), T.minusSeconds(60));
        assertEquals(1, RecentSends.engagedOfLast5(sends));

        for (int i = 1; i <= 5; i++) {
            sends = RecentSends.apply(sends, new EventSignals.SendSignal("email:n" + i, true, false),
                    T.plusSeconds(i));
        }
        assertEquals(5, sends.size(), "the oldest send was pruned");
        assertEquals(0, RecentSends.engagedOfLast5(sends), "the engaged send is no longer among the last five");

        // a send seen again keeps its earliest time
        sends = RecentSends.apply(sends, new EventSignals.SendSignal("email:n1", true, false), T.plusSeconds(99));
        assertEquals(T.plusSeconds(1), sends.stream().filter(s -> s.key().equals("email:n1")).findFirst()
                .orElseThrow().sentAt());
    }
}
