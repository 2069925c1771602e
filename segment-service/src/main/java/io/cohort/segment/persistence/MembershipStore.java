package io.cohort.segment.persistence;

import io.cohort.contracts.MembershipChange;
import io.cohort.contracts.SegmentMembershipEvent;
import io.cohort.segment.domain.Evaluation;
import io.cohort.segment.domain.ScoreVersion;
import io.cohort.segment.domain.Segment;
import io.cohort.segment.domain.SegmentDefinition;
import io.cohort.segment.domain.SegmentMatcher;
import io.cohort.segment.domain.SubscriberView;
import io.cohort.segment.domain.Transition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Keeps views, memberships and the outbox consistent: each operation is one transaction that
 * changes the view, re-evaluates segments and writes an outbox event per real transition.
 *
 * <p>Every path locks the subscriber's view row before touching memberships, so a live update and
 * a backfill of a new segment see each other's committed results and never both act on stale data.
 */
@ApplicationScoped
public class MembershipStore {

    static final int BACKFILL_PAGE = 500;
    static final String ERASED_REASON = "subscriber erased";

    private final SubscriberViewRepository views;
    private final SegmentRepository segments;
    private final MembershipRepository memberships;
    private final OutboxRepository outbox;
    private final Clock clock;

    public MembershipStore(SubscriberViewRepository views, SegmentRepository segments,
            MembershipRepository memberships, OutboxRepository outbox, Clock clock) {
        this.views = views;
        this.segments = segments;
        this.memberships = memberships;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Applies a feature vector unless the view already holds this or a newer version. */
    @Transactional
    public ViewChange applyFeatures(String subscriberId, long version, Map<String, Double> features) {
        Instant now = now();
        SubscriberView current = views.lockOrCreate(subscriberId, now);
        if (!current.acceptsFeatureVersion(version)) {
            return ViewChange.UNCHANGED;
        }
        views.saveFeatures(subscriberId, version, features, now);
        return new ViewChange(true, reevaluate(current.withFeatures(version, features), segments.findAll(), now));
    }

    /** Applies scores unless the view already holds scores at least as new. */
    @Transactional
    public ViewChange applyScores(String subscriberId, ScoreVersion version, Integer clusterId, String clusterName) {
        Instant now = now();
        SubscriberView current = views.lockOrCreate(subscriberId, now);
        if (!version.isNewerThan(current.scoreVersion())) {
            return ViewChange.UNCHANGED;
        }
        views.saveScores(subscriberId, version, clusterId, clusterName, now);
        return new ViewChange(true,
                reevaluate(current.withScores(version, clusterId, clusterName), segments.findAll(), now));
    }

    /** Forgets the subscriber: view and memberships go, each membership with an exited event. */
    @Transactional
    public ViewChange erase(String subscriberId) {
        Instant now = now();
        boolean known = views.lock(subscriberId).isPresent();
        List<Transition> transitions = new ArrayList<>();
        for (MembershipRepository.RemovedMembership removed : memberships.exitAll(subscriberId)) {
            transitions.add(record(new Transition(removed.segmentId(), removed.segmentName(), removed.segmentVersion(),
                    subscriberId, MembershipChange.EXITED, ERASED_REASON), now));
        }
        if (known) {
            views.delete(subscriberId);
        }
        return new ViewChange(known || !transitions.isEmpty(), transitions);
    }

    /** Stores a new segment and computes its membership over every view before committing. */
    @Transactional
    public CreatedSegment create(SegmentDefinition definition) {
        Instant now = now();
        Segment segment = new Segment(UUID.randomUUID(), 1, now, definition);
        segments.insert(segment);
        List<Transition> transitions = new ArrayList<>();
        String after = "";
        List<SubscriberView> page;
        do {
            page = views.lockPageAfter(after, BACKFILL_PAGE);
            for (SubscriberView view : page) {
                transitions.addAll(reevaluate(view, List.of(segment), now));
            }
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).subscriberId();
            }
        } while (page.size() == BACKFILL_PAGE);
        return new CreatedSegment(segment, transitions);
    }

    private List<Transition> reevaluate(SubscriberView view, List<Segment> candidates, Instant now) {
        List<Transition> transitions = new ArrayList<>();
        for (Segment segment : candidates) {
            Evaluation evaluation = SegmentMatcher.evaluate(segment.definition(), view);
            boolean changed = evaluation.matched()
                    ? memberships.enter(segment.id(), view.subscriberId(), now)
                    : memberships.exit(segment.id(), view.subscriberId());
            if (changed) {
                MembershipChange change = evaluation.matched() ? MembershipChange.ENTERED : MembershipChange.EXITED;
                transitions.add(record(new Transition(segment.id(), segment.name(), segment.version(),
                        view.subscriberId(), change, evaluation.reason()), now));
            }
        }
        return transitions;
    }

    private Transition record(Transition transition, Instant now) {
        outbox.append(new SegmentMembershipEvent(
                SegmentMembershipEvent.SCHEMA_VERSION,
                UUID.randomUUID().toString(),
                transition.subscriberId(),
                transition.segmentId().toString(),
                transition.segmentName(),
                transition.segmentVersion(),
                transition.change(),
                transition.reason(),
                false,
                now), now);
        return transition;
    }

    /** PostgreSQL keeps microseconds; truncating keeps what we return equal to what we read back later. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Whether a record changed the view, and the membership transitions that followed. */
    public record ViewChange(boolean applied, List<Transition> transitions) {
        static final ViewChange UNCHANGED = new ViewChange(false, List.of());
    }

    public record CreatedSegment(Segment segment, List<Transition> transitions) {
    }
}
