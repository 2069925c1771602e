package io.cohort.feature.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import io.cohort.contracts.FeatureNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FirstDeliveriesTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final FeatureCalculator CALCULATOR = new FeatureCalculator();

    private static EventEnvelope track(String messageId, String event, Instant at) {
        return new EventEnvelope(1, messageId, EventType.TRACK, "u", null, null, event, null, Map.of(), null, null,
                at, null, at);
    }

    /** The features of the events a poll applies (its duplicates dropped), on top of earlier days. */
    private static Map<String, Double> apply(List<DailyActivity> history, List<EventEnvelope> poll, Set<String> unseen) {
        List<Boolean> duplicate = FirstDeliveries.duplicates(poll.stream().map(EventEnvelope::messageId).toList(),
                unseen);
        for (int i = 0; i < poll.size(); i++) {
            if (!duplicate.get(i)) {
                history.add(ActivityCounter.count(poll.get(i), poll.get(i).timestamp()));
            }
        }
        return CALCULATOR.computeFor(history, SubscriberState.openedAt(null), NOW);
    }

    @Test
    void onlyTheFirstCopyOfAnUnseenIdIsApplied() {
        // m1 twice in the poll, m2 once, m3 applied by an earlier poll (the store did not report it unseen)
        assertEquals(List.of(false, true, false, true, true),
                FirstDeliveries.duplicates(List.of("m1", "m1", "m2", "m3", "m2"), Set.of("m1", "m2")));
        assertEquals(List.of(), FirstDeliveries.duplicates(List.of(), Set.of()));
    }

    @Test
    void duplicatesChangeNoFeature() {
        Instant yesterday = NOW.minusSeconds(86_400);
        List<EventEnvelope> poll = List.of(
                track("m1", CanonicalEvents.EMAIL_OPENED, yesterday),
                track("m1", CanonicalEvents.EMAIL_OPENED, yesterday),        // redelivered inside the poll
                track("m2", CanonicalEvents.EMAIL_LINK_CLICKED, yesterday),
                track("m3", CanonicalEvents.ORDER_COMPLETED, yesterday));    // applied by an earlier poll
        List<DailyActivity> history = new ArrayList<>();
        Map<String, Double> first = apply(history, poll, Set.of("m1", "m2"));
        // hand-computed: one open, one click, no order
        assertEquals(1.0, first.get(FeatureNames.EMAILS_OPENED_30D));
        assertEquals(1.0, first.get(FeatureNames.EMAILS_CLICKED_30D));
        assertEquals(0.0, first.get(FeatureNames.ORDERS_90D));
        assertEquals(1.0, first.get(FeatureNames.CLICK_TO_OPEN_30D));

        // the whole poll again (a consumer restart before the commit): the store has seen every id
        Map<String, Double> replayed = apply(history, poll, Set.of());
        assertEquals(first, replayed);
    }
}
