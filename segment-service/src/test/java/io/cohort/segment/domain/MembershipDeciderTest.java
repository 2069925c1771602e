package io.cohort.segment.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cohort.contracts.MembershipChange;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MembershipDeciderTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final Segment OPENERS = new Segment(UUID.randomUUID(), 1, T0,
            SegmentDefinition.rule("Openers", new Condition.Compare("emails_opened_30d", Operator.GTE, 3)));

    private static SubscriberView opens(double opens) {
        return SubscriberView.empty("s").withFeatures(1, Map.of("emails_opened_30d", opens));
    }

    @Test
    void entersOnceThenKeepsTheEntryTime() {
        var first = MembershipDecider.decide(opens(5), List.of(OPENERS), List.of(), T0);
        assertEquals(1, first.transitions().size());
        assertEquals(MembershipChange.ENTERED, first.transitions().get(0).change());
        var again = MembershipDecider.decide(opens(6), List.of(OPENERS), first.memberships(), T1);
        assertEquals(List.of(), again.transitions());
        assertEquals(T0, again.memberships().get(0).enteredAt());
    }

    @Test
    void holdoutFollowsTheDefinitionWithoutAnEvent() {
        String subscriber = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "s" + i)
                .filter(s -> Holdout.bucket(OPENERS.id(), s) < 50).findFirst().orElseThrow();
        SubscriberView view = SubscriberView.empty(subscriber).withFeatures(1, Map.of("emails_opened_30d", 5.0));
        var in = MembershipDecider.decide(view, List.of(OPENERS), List.of(), T0);
        assertEquals(false, in.memberships().get(0).holdout());
        Segment halfHeldOut = OPENERS.withDefinition(2, OPENERS.definition().withHoldoutPercent(50));
        var edited = MembershipDecider.decide(view, List.of(halfHeldOut), in.memberships(), T1);
        assertEquals(List.of(), edited.transitions());
        assertEquals(true, edited.memberships().get(0).holdout());
        assertEquals(2, edited.memberships().get(0).segmentVersion());
    }

    @Test
    void exitsOnMismatchArchiveAndErasure() {
        var in = MembershipDecider.decide(opens(5), List.of(OPENERS), List.of(), T0).memberships();
        var out = MembershipDecider.decide(opens(1), List.of(OPENERS), in, T1);
        assertEquals(MembershipChange.EXITED, out.transitions().get(0).change());
        assertEquals(List.of(), out.memberships());
        var archived = MembershipDecider.decide(opens(5), List.of(), in, T1);
        assertEquals(MembershipDecider.ARCHIVED_REASON, archived.transitions().get(0).reason());
        var erased = MembershipDecider.erase("s", in);
        assertEquals(MembershipDecider.ERASED_REASON, erased.transitions().get(0).reason());
        assertEquals(List.of(), erased.memberships());
    }

    @Test
    void aLookalikeFollowsModelServicesAnswerAndIsCarriedWithoutOne() {
        Segment lookalike = new Segment(UUID.randomUUID(), 1, T0, new SegmentDefinition("Like openers",
                SegmentKind.LOOKALIKE, null, null, 0, null, null, new Lookalike(OPENERS.id(), 10)));
        var entered = MembershipDecider.decide(opens(0), List.of(lookalike), Map.of(lookalike.id(), Map.of("s", 0.9)),
                List.of(), T0);
        assertEquals(MembershipChange.ENTERED, entered.transitions().get(0).change());
        assertEquals(true, entered.transitions().get(0).reason().contains(OPENERS.id().toString()),
                entered.transitions().get(0).reason());
        var unknown = MembershipDecider.decide(opens(0), List.of(lookalike), Map.of(), entered.memberships(), T1);
        assertEquals(List.of(), unknown.transitions());
        assertEquals(entered.memberships(), unknown.memberships(), "no answer known: carried unchanged");
        var dropped = MembershipDecider.decide(opens(0), List.of(lookalike), Map.of(lookalike.id(), Map.of("t", 0.8)),
                entered.memberships(), T1);
        assertEquals(MembershipChange.EXITED, dropped.transitions().get(0).change());
        assertEquals(List.of(), dropped.memberships());
    }
}
