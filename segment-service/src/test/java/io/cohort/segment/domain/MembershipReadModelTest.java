package io.cohort.segment.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.segment.domain.MembershipReadModel.SegmentEntry;
import io.cohort.segment.domain.MembershipReadModel.StoredMembership;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The read model's bookkeeping without Quarkus: freshness marks, memberships, compact views. */
class MembershipReadModelTest {

    private static final Instant T1 = Instant.parse("2026-03-01T10:00:00.123456Z");
    private static final Instant T2 = Instant.parse("2026-03-02T10:00:00Z");

    private static Segment segment(String name) {
        return new Segment(UUID.nameUUIDFromBytes(name.getBytes()), 1, Instant.EPOCH,
                SegmentDefinition.rule(name, new Condition.Exists("orders_90d")));
    }

    private static SubscriberView view(String id) {
        return SubscriberView.empty(id).withFeatures(3, Map.of("orders_90d", 2.0, "emails_opened_30d", 5.0),
                Map.of("rfm_group", "Champions"), T1)
                .withScores(new ScoreVersion(3, T2, 4), 2, "Cluster 2", Map.of("churn.90d", 0.25),
                        Map.of("churn.90d", List.of("days_since_last_open")));
    }

    @Test
    void aSubscriberIsCurrentOnlyAfterTheLoadAndWhileNoMarkIsPending() {
        MembershipReadModel model = new MembershipReadModel();
        assertFalse(model.isCurrent("s-1"), "nothing is current before the first load");
        model.loaded();
        assertTrue(model.isCurrent("s-1"));

        long first = model.markSubscribers(List.of("s-1"));
        assertFalse(model.isCurrent("s-1"));
        assertTrue(model.isCurrent("s-2"), "other subscribers stay current");
        Map<String, Long> taken = model.pendingSubscribers(10);
        assertEquals(Map.of("s-1", first), taken);
        model.markSubscribers(List.of("s-1"));
        model.refreshedSubscribers(taken);
        assertFalse(model.isCurrent("s-1"), "a mark set after the reload began survives it");
        model.refreshedSubscribers(model.pendingSubscribers(10));
        assertTrue(model.isCurrent("s-1"));

        UUID segment = UUID.randomUUID();
        long mark = model.markSegments(List.of(segment));
        assertFalse(model.isCurrent("s-2"), "a pending segment makes every lookup read through");
        model.refreshedSegment(segment, mark);
        assertTrue(model.isCurrent("s-2"));
    }

    @Test
    void membershipsAreListedOldestFirstAndFollowSegmentReplacement() {
        MembershipReadModel model = new MembershipReadModel();
        Segment a = segment("a");
        Segment b = segment("b");
        Segment c = segment("c");
        model.replaceSegments(List.of(entry(a), entry(b), entry(c)));
        model.putSubscriber("s-1", Optional.of(view("s-1")), List.of(new StoredMembership(b.id(), T2, true),
                new StoredMembership(a.id(), T2, false), new StoredMembership(c.id(), T1, false)));

        assertEquals(List.of("c", "a", "b"), model.segmentsOf("s-1").stream().map(m -> m.segment().name()).toList());
        assertEquals(T1, model.membership(c.id(), "s-1").orElseThrow().enteredAt(), "microseconds survive");
        assertTrue(model.membership(b.id(), "s-1").orElseThrow().holdout());

        // segment a re-evaluated: s-1 left it, s-2 (no view yet) entered
        model.replaceSegmentMembers(a.id(), Map.of("s-2", new StoredMembership(a.id(), T2, false)));
        assertEquals(List.of("c", "b"), model.segmentsOf("s-1").stream().map(m -> m.segment().name()).toList());
        assertEquals(List.of("a"), model.segmentsOf("s-2").stream().map(m -> m.segment().name()).toList());
        assertEquals(view("s-1"), model.view("s-1"), "the view survives a segment replacement");

        model.putSubscriber("s-1", Optional.empty(), List.of());
        assertEquals(List.of(), model.segmentsOf("s-1"));
        assertEquals(SubscriberView.empty("s-1"), model.view("s-1"));
        assertFalse(model.subscriberIds().contains("s-1"), "an erased subscriber is forgotten");
    }

    @Test
    void aCompactViewExpandsToTheSameViewAndSharesNames() {
        CompactView.Names names = new CompactView.Names(100);
        SubscriberView original = view("s-1");
        assertEquals(original, CompactView.of(original, names).expand());
        assertTrue(CompactView.of(original, names).expand().features().containsKey("emails_opened_30d"));

        MembershipReadModel model = new MembershipReadModel();
        model.putSubscriber("s-1", Optional.of(original), List.of());
        assertTrue(model.holdsView("s-1", 3L, new ScoreVersion(3, T2, 4)));
        assertFalse(model.holdsView("s-1", 4L, new ScoreVersion(3, T2, 4)));

        String[] first = names.of(Map.of("x", 1, "y", 2).keySet());
        String[] second = names.of(Map.of("y", 3, "x", 4).keySet());
        assertSame(first, second, "views with the same feature names share one name array");
        CompactView.Names full = new CompactView.Names(1);
        full.of(java.util.Set.of("x"));
        String[] unshared = full.of(java.util.Set.of("z"));
        assertEquals(List.of("z"), List.of(unshared), "past the limit names are kept per view, still correct");
    }

    private static SegmentEntry entry(Segment segment) {
        return new SegmentEntry(segment, Map.of(), Map.of());
    }
}
