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
import java.util.Optional;
import java.util.UUID;

/**
 * Keeps views, memberships and the outbox consistent: each operation is one transaction that
 * changes the view, re-evaluates segments and writes an outbox event per real transition.
 *
 * <p>Every path locks the subscriber's view row before touching memberships, and view changes hold
 * a shared advisory lock that definition changes take exclusively, so a live update and a backfill
 * of a new or edited segment always see each other's committed results.
 */
@ApplicationScoped
public class MembershipStore {

    static final int BACKFILL_PAGE = 500;
    static final String ERASED_REASON = "subscriber erased";
    static final String ARCHIVED_REASON = "segment archived";

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
        segments.lockDefinitionsShared();
        Instant now = now();
        SubscriberView current = views.lockOrCreate(subscriberId, now);
        if (!current.acceptsFeatureVersion(version)) {
            return ViewChange.UNCHANGED;
        }
        views.saveFeatures(subscriberId, version, features, now);
        return new ViewChange(true, reevaluate(current.withFeatures(version, features), segments.findActive(), now, false));
    }

    /** Applies scores unless the view already holds scores at least as new. */
    @Transactional
    public ViewChange applyScores(String subscriberId, ScoreVersion version, Integer clusterId, String clusterName) {
        segments.lockDefinitionsShared();
        Instant now = now();
        SubscriberView current = views.lockOrCreate(subscriberId, now);
        if (!version.isNewerThan(current.scoreVersion())) {
            return ViewChange.UNCHANGED;
        }
        views.saveScores(subscriberId, version, clusterId, clusterName, now);
        return new ViewChange(true,
                reevaluate(current.withScores(version, clusterId, clusterName), segments.findActive(), now, false));
    }

    /** Forgets the subscriber: view and memberships go, each membership with an exited event. */
    @Transactional
    public ViewChange erase(String subscriberId) {
        Instant now = now();
        boolean known = views.lock(subscriberId).isPresent();
        List<Transition> transitions = new ArrayList<>();
        for (MembershipRepository.RemovedMembership removed : memberships.exitAll(subscriberId)) {
            transitions.add(record(new Transition(removed.segmentId(), removed.segmentName(), removed.segmentVersion(),
                    subscriberId, MembershipChange.EXITED, ERASED_REASON, removed.holdout()), now));
        }
        if (known) {
            views.delete(subscriberId);
        }
        return new ViewChange(known || !transitions.isEmpty(), transitions);
    }

    /** Stores a new segment and computes its membership over every view before committing. */
    @Transactional
    public CreatedSegment create(SegmentDefinition definition) {
        segments.lockDefinitionsExclusive();
        Instant now = now();
        Segment segment = new Segment(UUID.randomUUID(), 1, now, definition);
        segments.insert(segment);
        segments.appendHistory(segment, "created", now);
        List<Transition> transitions = new ArrayList<>();
        forEachLockedView(view -> transitions.addAll(reevaluate(view, List.of(segment), now, false)));
        return new CreatedSegment(segment, transitions);
    }

    /**
     * Replaces a segment's definition (version + 1) and re-evaluates every view against it like a
     * backfill: one event per real transition, carrying the new version; continuing members keep
     * their entry time and get their holdout flag recomputed. Empty when there is no such segment.
     */
    @Transactional
    public Optional<CreatedSegment> update(UUID id, SegmentDefinition definition) {
        segments.lockDefinitionsExclusive();
        Instant now = now();
        Optional<Segment> stored = segments.lock(id);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        if (stored.get().archived()) {
            throw new SegmentArchivedException(id);
        }
        Segment segment = stored.get().withDefinition(stored.get().version() + 1, definition);
        segments.update(segment);
        segments.appendHistory(segment, "updated", now);
        List<Transition> transitions = new ArrayList<>();
        forEachLockedView(view -> transitions.addAll(reevaluate(view, List.of(segment), now, true)));
        return Optional.of(new CreatedSegment(segment, transitions));
    }

    /**
     * Archives a segment: it is no longer evaluated and every member exits with reason
     * {@value #ARCHIVED_REASON}. Archiving an archived segment changes nothing. Empty when there is
     * no such segment.
     */
    @Transactional
    public Optional<CreatedSegment> archive(UUID id) {
        segments.lockDefinitionsExclusive();
        Instant now = now();
        Optional<Segment> stored = segments.lock(id);
        if (stored.isEmpty() || stored.get().archived()) {
            return stored.map(s -> new CreatedSegment(s, List.of()));
        }
        Segment segment = stored.get();
        segments.archive(id);
        segments.appendHistory(segment, "archived", now);
        // wait for live updates holding view locks, so none re-adds a member after the delete below
        forEachLockedView(view -> {
        });
        List<Transition> transitions = new ArrayList<>();
        for (MembershipRepository.Member member : memberships.exitAllOf(id)) {
            transitions.add(record(new Transition(id, segment.name(), segment.version(), member.subscriberId(),
                    MembershipChange.EXITED, ARCHIVED_REASON, member.holdout()), now));
        }
        return Optional.of(new CreatedSegment(new Segment(id, segment.version(), segment.createdAt(),
                segment.definition(), true), transitions));
    }

    /** Evaluates a definition over every view without storing anything. */
    public Preview preview(SegmentDefinition definition, int sampleSize) {
        long size = 0;
        long evaluated = 0;
        List<String> sample = new ArrayList<>();
        String after = "";
        List<SubscriberView> page;
        do {
            page = views.pageAfter(after, BACKFILL_PAGE);
            for (SubscriberView view : page) {
                evaluated++;
                if (SegmentMatcher.evaluate(definition, view).matched()) {
                    size++;
                    if (sample.size() < sampleSize) {
                        sample.add(view.subscriberId());
                    }
                }
            }
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).subscriberId();
            }
        } while (page.size() == BACKFILL_PAGE);
        return new Preview(size, sample, evaluated);
    }

    private void forEachLockedView(java.util.function.Consumer<SubscriberView> action) {
        String after = "";
        List<SubscriberView> page;
        do {
            page = views.lockPageAfter(after, BACKFILL_PAGE);
            page.forEach(action);
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).subscriberId();
            }
        } while (page.size() == BACKFILL_PAGE);
    }

    private List<Transition> reevaluate(SubscriberView view, List<Segment> candidates, Instant now,
            boolean resyncHoldout) {
        List<Transition> transitions = new ArrayList<>();
        for (Segment segment : candidates) {
            Evaluation evaluation = SegmentMatcher.evaluate(segment.definition(), view);
            boolean holdout = segment.definition().holdsOut(segment.id(), view.subscriberId());
            boolean changed;
            if (evaluation.matched()) {
                changed = memberships.enter(segment.id(), view.subscriberId(), now, holdout);
                if (!changed && resyncHoldout) {
                    memberships.setHoldout(segment.id(), view.subscriberId(), holdout);
                }
            } else {
                changed = memberships.exit(segment.id(), view.subscriberId());
            }
            if (changed) {
                MembershipChange change = evaluation.matched() ? MembershipChange.ENTERED : MembershipChange.EXITED;
                transitions.add(record(new Transition(segment.id(), segment.name(), segment.version(),
                        view.subscriberId(), change, evaluation.reason(), holdout), now));
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
                transition.holdout(),
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

    /** {@code size} matching views of {@code evaluatedSubscribers}; the first matches in subscriber id order. */
    public record Preview(long size, List<String> sample, long evaluatedSubscribers) {
    }

    /** An archived segment cannot be edited. */
    public static class SegmentArchivedException extends RuntimeException {
        public SegmentArchivedException(UUID id) {
            super("Segment " + id + " is archived and can no longer be changed", null, false, false);
        }
    }
}
