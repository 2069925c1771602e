package io.cohort.segment.domain;

import io.cohort.contracts.MembershipChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decides one subscriber's memberships from their view and the active segments, given the
 * memberships held before: a transition only where membership really changes, the same rules as
 * the PostgreSQL path ({@code MembershipStore.reevaluate}). Continuing members keep their entry
 * time; their holdout flag and segment version follow the definition without an event. Lookalike
 * memberships are decided from model-service's answer (the subscriber's similarity, absent when not
 * among its items); without a known answer they are carried unchanged.
 * Memberships of segments no longer active exit with {@link #ARCHIVED_REASON}.
 */
public final class MembershipDecider {

    public static final String ERASED_REASON = "subscriber erased";
    public static final String ARCHIVED_REASON = "segment archived";

    private MembershipDecider() {
    }

    /** The memberships to keep and the transitions to publish. */
    public record Outcome(List<Membership> memberships, List<Transition> transitions) {

        public Outcome {
            memberships = List.copyOf(memberships);
            transitions = List.copyOf(transitions);
        }
    }

    /** {@code view} as it reads now (aged with {@link SubscriberView#asOf}). */
    public static Outcome decide(SubscriberView view, List<Segment> active, List<Membership> current, Instant now) {
        return decide(view, active, Map.of(), current, now);
    }

    /** {@code similarities}: model-service's answer per lookalike segment (subscriber id to similarity). */
    public static Outcome decide(SubscriberView view, List<Segment> active,
            Map<UUID, Map<String, Double>> similarities, List<Membership> current, Instant now) {
        Map<UUID, Membership> held = new HashMap<>();
        current.forEach(m -> held.put(m.segmentId(), m));
        List<Membership> next = new ArrayList<>();
        List<Transition> transitions = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        String subscriber = view.subscriberId();
        for (Segment segment : active) {
            seen.add(segment.id());
            Membership was = held.get(segment.id());
            boolean lookalike = segment.kind() == SegmentKind.LOOKALIKE;
            Map<String, Double> answer = lookalike ? similarities.get(segment.id()) : null;
            if (lookalike && answer == null) {
                if (was != null) {
                    next.add(was);
                }
                continue;
            }
            Double similarity = lookalike ? answer.get(subscriber) : null;
            boolean matched = lookalike ? SegmentMatcher.matchesLookalike(segment.definition(), similarity, view)
                    : SegmentMatcher.matches(segment, view);
            if (!matched && was == null) {
                continue; // neither in nor leaving: the holdout hash (SHA-256) is not needed
            }
            boolean holdout = segment.definition().holdsOut(segment.id(), subscriber);
            if (matched) {
                next.add(new Membership(segment.id(), segment.name(), segment.version(),
                        was == null ? now : was.enteredAt(), holdout));
            }
            if (matched != (was != null)) {
                transitions.add(new Transition(segment.id(), segment.name(), segment.version(), subscriber,
                        matched ? MembershipChange.ENTERED : MembershipChange.EXITED,
                        (lookalike ? SegmentMatcher.evaluateLookalike(segment.definition(), similarity, view)
                                : SegmentMatcher.evaluate(segment, view)).reason(), holdout));
            }
        }
        for (Membership gone : current) {
            if (!seen.contains(gone.segmentId())) {
                transitions.add(exit(subscriber, gone, ARCHIVED_REASON));
            }
        }
        return new Outcome(next, transitions);
    }

    /** The subscriber is forgotten: every membership exits with {@link #ERASED_REASON}. */
    public static Outcome erase(String subscriberId, List<Membership> current) {
        return new Outcome(List.of(), current.stream().map(m -> exit(subscriberId, m, ERASED_REASON)).toList());
    }

    private static Transition exit(String subscriberId, Membership membership, String reason) {
        return new Transition(membership.segmentId(), membership.segmentName(), membership.segmentVersion(),
                subscriberId, MembershipChange.EXITED, reason, membership.holdout());
    }
}
