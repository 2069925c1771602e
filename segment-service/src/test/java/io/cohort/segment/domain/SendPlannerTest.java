package io.cohort.segment.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.ScoreNames;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Plan resolution: priority, suppression, holdout, cadence, send time, subject variant. */
class SendPlannerTest {

    /** A Wednesday, 10:30 UTC. */
    private static final Instant NOW = Instant.parse("2026-03-04T10:30:00Z");
    private static final ScoreVersion SCORED = new ScoreVersion(1, NOW, 1);

    private static Segment segment(String name, int priority, Instant created, Actions.Cadence cadence,
            Actions.SendTime sendTime, List<String> subjects) {
        Actions actions = new Actions(priority, "content-" + name, subjects, "offer-" + name, cadence, sendTime);
        return new Segment(UUID.nameUUIDFromBytes(name.getBytes()), 1, created,
                SegmentDefinition.rule(name, new Condition.Exists("orders_90d")).withActions(actions));
    }

    private static Segment segment(String name, int priority) {
        return segment(name, priority, Instant.EPOCH, null, Actions.SendTime.DEFAULT, List.of());
    }

    private static SubscriberView view(Map<String, Double> features, Double sendHour) {
        return SubscriberView.empty("sub-1").withFeatures(1, features, Map.of(), NOW).withScores(SCORED, null, null,
                sendHour == null ? Map.of() : Map.of(ScoreNames.SEND_HOUR_OF_WEEK, sendHour), Map.of());
    }

    private static final Map<String, Double> OK = Map.of("suppressed", 0.0, "email_consent", 1.0);

    @Test
    void theHighestPriorityWinsAndTiesGoToTheOldestSegment() {
        Segment low = segment("low", 1);
        Segment high = segment("high", 5);
        Segment noActions = new Segment(UUID.randomUUID(), 1, Instant.EPOCH,
                SegmentDefinition.rule("plain", new Condition.Exists("orders_90d")));
        SendPlanner.Plan plan = SendPlanner.plan(view(OK, null),
                List.of(new SendPlanner.Candidate(low, false), new SendPlanner.Candidate(noActions, false),
                        new SendPlanner.Candidate(high, false)), List.of(), NOW);
        assertTrue(plan.send());
        assertEquals(high, plan.segment());

        Segment older = segment("older", 5, Instant.parse("2026-01-01T00:00:00Z"), null, Actions.SendTime.DEFAULT,
                List.of());
        Segment newer = segment("newer", 5, Instant.parse("2026-02-01T00:00:00Z"), null, Actions.SendTime.DEFAULT,
                List.of());
        assertEquals(older, SendPlanner.plan(view(OK, null), List.of(new SendPlanner.Candidate(newer, false),
                new SendPlanner.Candidate(older, false)), List.of(), NOW).segment());

        SendPlanner.Plan none = SendPlanner.plan(view(OK, null), List.of(new SendPlanner.Candidate(noActions, false)),
                List.of(), NOW);
        assertFalse(none.send());
        assertEquals("in no segment with actions", none.reason());
    }

    @Test
    void suppressedSubscribersAreNeverPlanned() {
        List<SendPlanner.Candidate> candidates = List.of(new SendPlanner.Candidate(segment("s", 9), false));
        for (Map<String, Double> suppressed : List.of(Map.of("suppressed", 1.0), Map.of("unsubscribed", 1.0),
                Map.of("complained", 1.0), Map.of("hard_bounced", 1.0), Map.of("email_consent", 0.0))) {
            SendPlanner.Plan plan = SendPlanner.plan(view(suppressed, null), candidates, List.of(), NOW);
            assertFalse(plan.send(), suppressed.toString());
            assertTrue(plan.suppressed());
            assertNull(plan.segment());
        }
        assertFalse(SendPlanner.plan(null, candidates, List.of(), NOW).send(), "unknown subscriber");
        assertFalse(SendPlanner.plan(SubscriberView.empty("x"), candidates, List.of(), NOW).send(), "no features");
    }

    @Test
    void aMemberHeldOutOfTheWinningSegmentIsNotSent() {
        Segment winner = segment("w", 9);
        SendPlanner.Plan plan = SendPlanner.plan(view(OK, null), List.of(new SendPlanner.Candidate(winner, true),
                new SendPlanner.Candidate(segment("other", 1), false)), List.of(), NOW);
        assertFalse(plan.send());
        assertTrue(plan.holdout());
        assertEquals(winner, plan.segment());
    }

    @Test
    void theCadenceCapDelaysUntilTheOldestSendLeavesTheWindow() {
        Segment capped = segment("c", 1, Instant.EPOCH, new Actions.Cadence(2, 7),
                new Actions.SendTime(Actions.SendTime.FIXED, 9), List.of());
        List<SendPlanner.Candidate> candidates = List.of(new SendPlanner.Candidate(capped, false));
        Instant twoDaysAgo = NOW.minus(Duration.ofDays(2));
        Instant fiveDaysAgo = NOW.minus(Duration.ofDays(5));
        Instant tenDaysAgo = NOW.minus(Duration.ofDays(10));

        SendPlanner.Plan underCap = SendPlanner.plan(view(OK, null), candidates, List.of(tenDaysAgo, twoDaysAgo), NOW);
        assertEquals(1, underCap.sendsInWindow());
        assertEquals(NOW, underCap.eligibleAt());
        assertEquals(Instant.parse("2026-03-05T09:00:00Z"), underCap.sendAt(), "09:00 has passed today");

        SendPlanner.Plan atCap = SendPlanner.plan(view(OK, null), candidates, List.of(fiveDaysAgo, twoDaysAgo), NOW);
        assertTrue(atCap.send());
        assertEquals(2, atCap.sendsInWindow());
        assertEquals(fiveDaysAgo.plus(Duration.ofDays(7)), atCap.eligibleAt());
        assertEquals(Instant.parse("2026-03-07T09:00:00Z"), atCap.sendAt());
        assertTrue(atCap.reason().startsWith("cadence cap of 2 per 7 days reached"), atCap.reason());
    }

    @Test
    void theSendTimeFollowsTheModelOrTheFixedHour() {
        Segment model = segment("m", 1, Instant.EPOCH, null, new Actions.SendTime(Actions.SendTime.MODEL, 8), List.of());
        List<SendPlanner.Candidate> candidates = List.of(new SendPlanner.Candidate(model, false));
        // hour of week 10 = Monday 10:00 UTC; it is Wednesday, so next Monday
        SendPlanner.Plan byModel = SendPlanner.plan(view(OK, 10.0), candidates, List.of(), NOW);
        assertEquals(Instant.parse("2026-03-09T10:00:00Z"), byModel.sendAt());
        assertEquals("model", byModel.sendTimeSource());
        // hour of week 59 = Wednesday 11:00 UTC, later today
        assertEquals(Instant.parse("2026-03-04T11:00:00Z"),
                SendPlanner.plan(view(OK, 59.0), candidates, List.of(), NOW).sendAt());
        // without the score the fallback hour of day applies
        SendPlanner.Plan fallback = SendPlanner.plan(view(OK, null), candidates, List.of(), NOW);
        assertEquals(Instant.parse("2026-03-05T08:00:00Z"), fallback.sendAt());
        assertEquals("fallback", fallback.sendTimeSource());

        assertEquals(Instant.parse("2026-03-04T10:00:00Z"),
                SendPlanner.nextHourOfWeek(Instant.parse("2026-03-04T10:00:00Z"), 58), "an exact slot is kept");
        assertEquals(Instant.parse("2026-03-08T23:00:00Z"),
                SendPlanner.nextHourOfWeek(NOW, 167), "Sunday 23:00");
    }

    @Test
    void theSubjectVariantIsStablePerSubscriberAndSpreadsOverVariants() {
        Segment s = segment("subjects", 1, Instant.EPOCH, null, Actions.SendTime.DEFAULT, List.of("A", "B", "C"));
        SendPlanner.Plan first = SendPlanner.plan(view(OK, null), List.of(new SendPlanner.Candidate(s, false)),
                List.of(), NOW);
        SendPlanner.Plan again = SendPlanner.plan(view(OK, null), List.of(new SendPlanner.Candidate(s, false)),
                List.of(), NOW.plusSeconds(3600));
        assertEquals(first.subjectVariant(), again.subjectVariant());
        assertEquals(List.of("A", "B", "C").get(first.subjectVariant()), first.subjectLine());
        int[] counts = new int[3];
        for (int i = 0; i < 30_000; i++) {
            counts[SendPlanner.subjectVariant(s, "subscriber-" + i, 3)]++;
        }
        for (int count : counts) {
            assertTrue(Math.abs(count - 10_000) < 500, java.util.Arrays.toString(counts));
        }
    }
}
