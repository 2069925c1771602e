package io.cohort.feature.streaming;

import static io.cohort.feature.streaming.TopologyFixture.group;
import static io.cohort.feature.streaming.TopologyFixture.track;
import static io.cohort.feature.streaming.TopologyFixture.withAccount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.DeadLetterHeaders;
import io.cohort.contracts.ErasedIds;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.Topics;
import io.cohort.feature.domain.ActivityCounter;
import io.cohort.feature.domain.DailyActivity;
import io.cohort.feature.domain.FeatureCalculator;
import io.cohort.feature.domain.OrderTotals;
import io.cohort.feature.domain.Rfm;
import io.cohort.feature.domain.StreamedSubscriber;
import io.cohort.feature.domain.SubscriberState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The features topology in a TopologyTestDriver: folding, coalescing, erasure, dead letters, the
 * account round trip (subscriber -> account -> every contact, a cycle through two repartition
 * topics) and the day slide.
 */
class FeatureTopologyTest {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    private static Instant daysAgo(long days) {
        return NOW.minus(Duration.ofDays(days));
    }

    @Test
    void foldedEventsGiveTheCalculatorsVectorForTheSameDays() {
        String user = "fold-" + UUID.randomUUID();
        EventEnvelope page = new EventEnvelope(1, UUID.randomUUID().toString(), EventType.PAGE, user, null, null,
                null, "Pricing", Map.of(), null, null, daysAgo(5), null, daysAgo(5));
        List<EventEnvelope> history = List.of(
                track(user, CanonicalEvents.EMAIL_DELIVERED, null, daysAgo(40)),
                track(user, CanonicalEvents.EMAIL_DELIVERED, null, daysAgo(10)),
                track(user, CanonicalEvents.EMAIL_SENT, Map.of("emailId", "e1"), daysAgo(3)),
                track(user, CanonicalEvents.EMAIL_DELIVERED, Map.of("emailId", "e1"), daysAgo(2)),
                track(user, CanonicalEvents.EMAIL_OPENED, Map.of("emailId", "e1"), daysAgo(2)),
                track(user, CanonicalEvents.EMAIL_OPENED, Map.of("machineOpen", true), daysAgo(0)),
                track(user, CanonicalEvents.EMAIL_LINK_CLICKED, null, daysAgo(1)),
                track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 20.5, "total", 25), daysAgo(60)),
                track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("total", 7), daysAgo(3)),
                track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 100), daysAgo(100)),
                track(user, CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 5), daysAgo(400)),
                page);
        try (TopologyFixture f = new TopologyFixture(NOW, 5000)) {
            history.forEach(f::send);
            f.advance(TopologyFixture.COALESCE);

            List<Map.Entry<String, FeatureVector>> published = f.published();
            assertEquals(1, published.size(), "twelve events, one vector");
            FeatureVector vector = published.get(0).getValue();
            assertEquals(1, vector.version());
            assertEquals(user, vector.subscriberId());

            Instant at = f.clock.instant();
            LocalDate windowStart = LocalDate.ofInstant(at, ZoneOffset.UTC).minusDays(365);
            Map<LocalDate, DailyActivity> days = new TreeMap<>();
            OrderTotals before = OrderTotals.NONE;
            for (EventEnvelope e : history) {
                DailyActivity increment = ActivityCounter.count(e, e.timestamp());
                if (increment.day().isAfter(windowStart)) {
                    days.merge(increment.day(), increment, DailyActivity::plus);
                } else {
                    before = before.plus(increment.orders(), increment.revenue());
                }
            }
            SubscriberState state = new SubscriberState(daysAgo(400), daysAgo(2), daysAgo(1), daysAgo(3), false,
                    false, false, true);
            FeatureCalculator.Vector expected = new FeatureCalculator().compute(days.values(), state,
                    new FeatureCalculator.Context(null, 1, null, null, null, Rfm.tiePosition(user), before), at);
            assertEquals(expected.features(), vector.features());
            assertEquals(expected.labels(), vector.labels());
            assertEquals(2.0, vector.features().get(FeatureNames.EMAILS_DELIVERED_30D));
            assertEquals(4.0, vector.features().get(FeatureNames.ORDERS_TOTAL), "the 400-day-old order counts for life");
            assertEquals(132.5, vector.features().get(FeatureNames.REVENUE_TOTAL));
            assertEquals(1.0, vector.features().get(FeatureNames.ENGAGED_SENDS_LAST_5));
            assertEquals(1.0, vector.features().get(FeatureNames.PRICING_PAGE_VIEWS_30D));
        }
    }

    @Test
    void oneVectorPerDirtySubscriberPerTickAndUnchangedOnesAreNotRepublished() {
        try (TopologyFixture f = new TopologyFixture(NOW, 5000)) {
            for (int i = 0; i < 3; i++) {
                f.send(track("a", CanonicalEvents.EMAIL_DELIVERED, null, daysAgo(i)));
            }
            f.send(track("b", CanonicalEvents.EMAIL_OPENED, null, daysAgo(1)));
            f.send(track("b", CanonicalEvents.EMAIL_LINK_CLICKED, null, daysAgo(1)));
            assertTrue(f.published().isEmpty(), "nothing before the coalescing tick");
            f.advance(TopologyFixture.COALESCE);
            Map<String, List<Long>> versions = f.published().stream().collect(Collectors.groupingBy(Map.Entry::getKey,
                    Collectors.mapping(e -> e.getValue().version(), Collectors.toList())));
            assertEquals(Map.of("a", List.of(1L), "b", List.of(1L)), versions);

            f.advance(TopologyFixture.COALESCE);
            assertTrue(f.published().isEmpty(), "no change, no vector");

            // a trait the vector does not show: recomputed, found unchanged, not published
            f.send(new EventEnvelope(1, UUID.randomUUID().toString(), EventType.IDENTIFY, "a", null, null, null, null,
                    null, Map.of("plan", "pro"), null, NOW, null, NOW));
            f.advance(TopologyFixture.COALESCE);
            assertTrue(f.published().isEmpty(), "an unchanged vector is not republished");
            assertEquals(1.0, f.meters.counter("cohort.feature.streams.vectors", "outcome", "unchanged").count());

            f.send(track("a", CanonicalEvents.EMAIL_DELIVERED, null, NOW));
            f.advance(TopologyFixture.COALESCE);
            List<Map.Entry<String, FeatureVector>> next = f.published();
            assertEquals(1, next.size());
            assertEquals(2L, next.get(0).getValue().version());
            assertEquals(4.0, next.get(0).getValue().features().get(FeatureNames.EMAILS_DELIVERED_30D));
        }
    }

    @Test
    void aStartingTaskPublishesTheChangesWhoseMarksALostProcessHeld() {
        String user = "recover-" + UUID.randomUUID();
        StreamedSubscriber foldedNotPublished;
        FeatureVector expected;
        try (TopologyFixture first = new TopologyFixture(NOW, 5000)) {
            first.send(track(user, CanonicalEvents.EMAIL_DELIVERED, null, daysAgo(3)));
            first.advance(TopologyFixture.COALESCE);
            assertEquals(1, first.published().size());
            // folded and stored, its mark only in memory: a crash here loses the mark, not the state
            first.send(track(user, CanonicalEvents.EMAIL_OPENED, null, daysAgo(1)));
            KeyValueStore<String, StreamedSubscriber> store = first.driver.getKeyValueStore(FeatureTopology.SUBSCRIBERS);
            foldedNotPublished = store.get(user);
            assertEquals(1, foldedNotPublished.version(), "nothing published since the open");
            first.advance(TopologyFixture.COALESCE);
            expected = first.published().get(0).getValue();
        }
        try (TopologyFixture restarted = new TopologyFixture(NOW, 5000)) {
            KeyValueStore<String, StreamedSubscriber> store =
                    restarted.driver.getKeyValueStore(FeatureTopology.SUBSCRIBERS);
            store.put(user, foldedNotPublished); // as restored from the changelog
            restarted.advance(TopologyFixture.COALESCE);
            List<Map.Entry<String, FeatureVector>> published = restarted.published();
            assertEquals(1, published.size(), "the start's rescan published the change");
            assertEquals(expected.features(), published.get(0).getValue().features());
            assertEquals(2, published.get(0).getValue().version());
            restarted.advance(TopologyFixture.COALESCE);
            assertEquals(List.of(), restarted.published(), "once");
        }
    }

    @Test
    void erasureTombstonesEmptiesTheStoresAndDropsInFlightEvents() {
        try (TopologyFixture f = new TopologyFixture(NOW, 5000)) {
            f.send(track("gone", CanonicalEvents.EMAIL_OPENED, null, daysAgo(1)));
            f.advance(TopologyFixture.COALESCE);
            assertEquals(1, f.published().size());

            Instant erasedAt = f.clock.instant();
            f.erase("gone", erasedAt);
            List<Map.Entry<String, FeatureVector>> afterErasure = f.published();
            assertEquals(1, afterErasure.size());
            assertEquals("gone", afterErasure.get(0).getKey());
            assertNull(afterErasure.get(0).getValue(), "a real tombstone (null value)");
            KeyValueStore<String, StreamedSubscriber> subscribers = f.driver.getKeyValueStore(FeatureTopology.SUBSCRIBERS);
            assertNull(subscribers.get("gone"));
            KeyValueStore<String, String> erased = f.driver.getKeyValueStore(FeatureTopology.ERASED);
            assertEquals(erasedAt.toString(), erased.get(ErasedIds.hash("gone")));

            // received before the erasure, still in flight: dropped
            f.send(track("gone", CanonicalEvents.EMAIL_OPENED, null, erasedAt.minusSeconds(5)));
            f.advance(TopologyFixture.COALESCE);
            assertTrue(f.published().isEmpty());
            assertNull(subscribers.get("gone"));

            // received after it: new data, applied from nothing
            f.clock.advance(Duration.ofSeconds(1));
            f.send(track("gone", CanonicalEvents.EMAIL_DELIVERED, null, f.clock.instant()));
            f.advance(TopologyFixture.COALESCE);
            List<Map.Entry<String, FeatureVector>> fresh = f.published();
            assertEquals(1, fresh.size());
            assertEquals(0.0, fresh.get(0).getValue().features().get(FeatureNames.EMAILS_OPENED_30D));
            assertEquals(1.0, fresh.get(0).getValue().features().get(FeatureNames.EMAILS_DELIVERED_30D));
        }
    }

    @Test
    void recordsThatCanNeverBeProcessedAreDeadLetteredAndTheRestGoesOn() {
        try (TopologyFixture f = new TopologyFixture(NOW, 5000)) {
            byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
            f.events.pipeInput("p", garbage);
            f.events.pipeInput("p", (byte[]) null);
            f.send(track("p", CanonicalEvents.EMAIL_OPENED, null, NOW)); // a good one in between
            f.events.pipeInput("someone-else", TopologyFixture.bytes(track("p", CanonicalEvents.EMAIL_OPENED, null,
                    NOW)));
            f.erasures.pipeInput("p", (byte[]) null);
            f.advance(TopologyFixture.COALESCE);

            List<TestRecord<String, byte[]>> dead = f.deadLetters.readRecordsToList();
            assertEquals(4, dead.size());
            assertEquals("p", dead.get(0).key());
            assertEquals(new String(garbage, StandardCharsets.UTF_8), new String(dead.get(0).value(),
                    StandardCharsets.UTF_8), "the original bytes");
            assertEquals(Topics.EVENTS, new String(dead.get(0).headers().lastHeader(DeadLetterHeaders.TOPIC).value(),
                    StandardCharsets.UTF_8));
            assertNotNull(dead.get(0).headers().lastHeader(DeadLetterHeaders.ERROR));
            assertEquals(Topics.ERASURE, new String(dead.get(3).headers().lastHeader(DeadLetterHeaders.TOPIC).value(),
                    StandardCharsets.UTF_8));
            assertEquals(3.0, f.meters.counter("cohort.dead.letters", "channel", "events-stream").count());
            assertEquals(1.0, f.meters.counter("cohort.dead.letters", "channel", "erasure-stream").count());

            List<Map.Entry<String, FeatureVector>> published = f.published();
            assertEquals(1, published.size(), "the good event still made its vector");
            assertEquals(1.0, published.get(0).getValue().features().get(FeatureNames.EMAILS_OPENED_30D));
        }
    }

    @Test
    void anAccountsRollupReachesEveryContactAndOrdinaryEventsSkipTheAccountHops() {
        try (TopologyFixture f = new TopologyFixture(NOW, 5000)) {
            f.send(group("c1", "acme", Map.of("tier", "Tier 1", "target", true), daysAgo(2)));
            f.send(withAccount(track("c2", CanonicalEvents.EMAIL_OPENED, null, daysAgo(1)), "acme"));
            f.send(withAccount(track("c3", CanonicalEvents.EMAIL_DELIVERED, null, daysAgo(1)), "acme"));
            settle(f);
            f.published();

            f.send(track("c1", CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 50), daysAgo(1)));
            settle(f);
            Map<String, FeatureVector> latest = latest(f.published());
            for (String contact : List.of("c1", "c2", "c3")) {
                Map<String, Double> features = latest.get(contact).features();
                assertEquals(50.0, features.get(FeatureNames.ACCOUNT_REVENUE_365D), contact);
                assertEquals(3.0, features.get(FeatureNames.ACCOUNT_CONTACTS), contact);
                assertEquals(1.0, features.get(FeatureNames.ACCOUNT_TIER), contact);
                assertEquals(1.0, features.get(FeatureNames.ACCOUNT_TARGET), contact);
                assertEquals(1.0, features.get(FeatureNames.ACCOUNT_ENGAGED_CONTACTS_30D),
                        contact + ": c2 opened; an order or a delivery is no engagement");
                assertEquals("acme", latest.get(contact).labels().get(FeatureNames.ACCOUNT_ID));
            }

            double fannedOut = f.meters.counter("cohort.feature.streams.account.rollups.fanned.out").count();
            f.send(track("c3", CanonicalEvents.EMAIL_DELIVERED, null, NOW));
            settle(f);
            assertEquals(fannedOut, f.meters.counter("cohort.feature.streams.account.rollups.fanned.out").count(),
                    "a delivery changes no contribution: no account hop, no fan-out");
            Map<String, FeatureVector> afterDelivery = latest(f.published());
            assertEquals(List.of("c3"), List.copyOf(afterDelivery.keySet()));
        }
    }

    @Test
    void aNewUtcDaySlidesEveryVectorAPageAtATime() {
        try (TopologyFixture f = new TopologyFixture(NOW, 2)) {
            for (int i = 0; i < 5; i++) {
                f.send(track("s" + i, CanonicalEvents.EMAIL_OPENED, null, NOW.minusSeconds(60)));
            }
            f.advance(TopologyFixture.COALESCE);
            assertEquals(5, f.published().size());
            f.advance(TopologyFixture.SLIDE_CHECK); // the first check after start rescans (nothing changed)
            for (int i = 0; i < 10; i++) {
                f.advance(TopologyFixture.COALESCE);
            }
            assertTrue(f.published().isEmpty(), "the same day: every vector unchanged");
            KeyValueStore<String, String> slide = f.driver.getKeyValueStore(FeatureTopology.SLIDE);
            assertEquals("2026-03-10|none", slide.get("scanned"), "the task remembers the day it slid to");

            f.advance(Duration.ofDays(8));
            List<Integer> perTick = new ArrayList<>();
            List<Map.Entry<String, FeatureVector>> slid = new ArrayList<>(f.published());
            perTick.add(slid.size());
            for (int i = 0; i < 10 && slid.size() < 5; i++) {
                f.advance(TopologyFixture.COALESCE);
                List<Map.Entry<String, FeatureVector>> tick = f.published();
                perTick.add(tick.size());
                slid.addAll(tick);
            }
            assertEquals(5, slid.size(), "every subscriber of the task once");
            assertTrue(perTick.stream().allMatch(n -> n <= 2), "at most a page per tick: " + perTick);
            for (Map.Entry<String, FeatureVector> entry : slid) {
                FeatureVector v = entry.getValue();
                assertEquals(2L, v.version());
                assertEquals(8.0, v.features().get(FeatureNames.DAYS_SINCE_LAST_OPEN));
                assertEquals(0.0, v.features().get(FeatureNames.EMAILS_OPENED_7D));
                assertEquals(1.0, v.features().get(FeatureNames.EMAILS_OPENED_30D));
            }
            assertFalse(perTick.isEmpty());
        }
    }

    /** Enough ticks for a subscriber -> account -> contacts round trip and the contacts' vectors. */
    private static void settle(TopologyFixture f) {
        for (int i = 0; i < 3; i++) {
            f.advance(TopologyFixture.COALESCE);
        }
    }

    private static Map<String, FeatureVector> latest(List<Map.Entry<String, FeatureVector>> published) {
        Map<String, FeatureVector> latest = new TreeMap<>();
        published.forEach(e -> latest.put(e.getKey(), e.getValue()));
        return latest;
    }

}
