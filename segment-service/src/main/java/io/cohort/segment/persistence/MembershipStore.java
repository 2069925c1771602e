package io.cohort.segment.persistence;

import io.cohort.contracts.MembershipChange;
import io.cohort.contracts.SegmentMembershipEvent;
import io.cohort.segment.domain.LookalikeResult;
import io.cohort.segment.domain.PreviewTally;
import io.cohort.segment.domain.ScoreVersion;
import io.cohort.segment.domain.SegmentKind;
import io.cohort.segment.domain.Segment;
import io.cohort.segment.domain.SegmentDefinition;
import io.cohort.segment.domain.SegmentMatcher;
import io.cohort.segment.domain.SubscriberView;
import io.cohort.segment.domain.Transition;
import io.quarkus.narayana.jta.QuarkusTransaction;
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
    private final JobRepository jobs;
    private final SendRepository sends;
    private final SnapshotRepository snapshots;
    private final ReadModelRefresher readModel;

    public MembershipStore(SubscriberViewRepository views, SegmentRepository segments,
            MembershipRepository memberships, OutboxRepository outbox, Clock clock, JobRepository jobs,
            SendRepository sends, SnapshotRepository snapshots, ReadModelRefresher readModel) {
        this.readModel = readModel;
        this.jobs = jobs;
        this.sends = sends;
        this.snapshots = snapshots;
        this.views = views;
        this.segments = segments;
        this.memberships = memberships;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Applies a feature vector unless the view already holds this or a newer version. */
    @Transactional
    public ViewChange applyFeatures(String subscriberId, long version, Map<String, Double> features) {
        return applyFeatures(subscriberId, version, features, Map.of(), null);
    }

    /** Applies a feature vector (numbers, labels, computation time) unless the view holds this or a newer version. */
    @Transactional
    public ViewChange applyFeatures(String subscriberId, long version, Map<String, Double> features,
            Map<String, String> labels, Instant computedAt) {
        segments.lockDefinitionsShared();
        Instant now = now();
        SubscriberView current = views.lockOrCreate(subscriberId, now);
        if (!current.acceptsFeatureVersion(version)) {
            return ViewChange.UNCHANGED;
        }
        SubscriberView next = current.withFeatures(version, features, labels, computedAt);
        views.saveFeatures(next, now);
        readModel.afterCommit(List.of(subscriberId), List.of());
        return new ViewChange(true, reevaluate(next, segments.findActive(), now, false));
    }

    /** Applies scores unless the view already holds scores at least as new. */
    @Transactional
    public ViewChange applyScores(String subscriberId, ScoreVersion version, Integer clusterId, String clusterName) {
        return applyScores(subscriberId, version, clusterId, clusterName, Map.of(), Map.of());
    }

    /** Applies scores (cluster, named scores, reason codes) unless the view already holds scores at least as new. */
    @Transactional
    public ViewChange applyScores(String subscriberId, ScoreVersion version, Integer clusterId, String clusterName,
            Map<String, Double> scores, Map<String, List<String>> reasons) {
        segments.lockDefinitionsShared();
        Instant now = now();
        SubscriberView current = views.lockOrCreate(subscriberId, now);
        if (!version.isNewerThan(current.scoreVersion())) {
            return ViewChange.UNCHANGED;
        }
        SubscriberView next = current.withScores(version, clusterId, clusterName, scores, reasons);
        views.saveScores(next, now);
        readModel.afterCommit(List.of(subscriberId), List.of());
        return new ViewChange(true, reevaluate(next, segments.findActive(), now, false));
    }

    /**
     * Recomputes the top-N% cutoff of every active predictive segment from the scores now held and
     * stores it; the re-evaluation of members follows in {@link #sweepPage}. Returns the segments as
     * they now stand.
     */
    @Transactional
    public List<Segment> refreshCutoffs() {
        segments.lockDefinitionsExclusive();
        List<Segment> active = new ArrayList<>();
        for (Segment segment : segments.findActive()) {
            Segment refreshed = withFreshCutoff(segment);
            if (!java.util.Objects.equals(refreshed.cutoff(), segment.cutoff())) {
                segments.setCutoff(segment.id(), refreshed.cutoff());
                readModel.afterCommit(List.of(), List.of(segment.id()));
            }
            active.add(refreshed);
        }
        return active;
    }

    /**
     * One page of the sweep: locks the next {@code limit} views after {@code after} and re-evaluates
     * them against every active segment at the current time (ageing days-since features, the
     * cutoffs in force). Transitions are written to the outbox like any other.
     */
    @Transactional
    public SweepPage sweepPage(String after, int limit) {
        segments.lockDefinitionsShared();
        Instant now = now();
        List<Segment> active = segments.findActive();
        List<SubscriberView> page = views.lockPageAfter(after, limit);
        List<Transition> transitions = new ArrayList<>();
        for (SubscriberView view : page) {
            transitions.addAll(reevaluate(view, active, now, false));
        }
        readModel.afterCommit(subscribersOf(transitions), List.of());
        return new SweepPage(page.size(), page.isEmpty() ? after : page.get(page.size() - 1).subscriberId(),
                transitions);
    }

    public record SweepPage(int processed, String last, List<Transition> transitions) {
    }

    private Segment withFreshCutoff(Segment segment) {
        var predictive = segment.definition().predictive();
        if (predictive == null || !predictive.isTopPercent()) {
            return segment;
        }
        return segment.withCutoff(io.cohort.segment.domain.Predictive.cutoff(
                views.scoreValuesDescending(predictive.score()), predictive.topPercent()));
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
        readModel.afterCommit(List.of(subscriberId), List.of());
        sends.forget(subscriberId);
        snapshots.forget(subscriberId);
        return new ViewChange(known || !transitions.isEmpty(), transitions);
    }

    /** Stores a new segment and computes its membership over every view before committing. */
    @Transactional
    public CreatedSegment create(SegmentDefinition definition) {
        return create(definition, null);
    }

    /**
     * Stores a new segment and computes its membership over every view before committing;
     * {@code lookalike} is model-service's answer for a lookalike segment (fetched by the caller
     * before this transaction, since model-service reads the seed back from this service).
     */
    @Transactional
    public CreatedSegment create(SegmentDefinition definition, LookalikeResult lookalike) {
        Segment segment = insertNew(definition, lookalike);
        List<Transition> transitions = backfill(segment, segment.createdAt(), false);
        readModel.afterCommit(List.of(), List.of(segment.id()));
        return new CreatedSegment(segment, transitions);
    }

    /** Stores a new segment (cutoff, lookalike answer, history) under the exclusive definitions lock; no backfill. */
    public Segment insertNew(SegmentDefinition definition, LookalikeResult lookalike) {
        segments.lockDefinitionsExclusive();
        Instant now = now();
        Segment segment = withFreshCutoff(new Segment(UUID.randomUUID(), 1, now, definition));
        segments.insert(segment);
        segments.setCutoff(segment.id(), segment.cutoff());
        if (lookalike != null) {
            segments.replaceLookalike(segment.id(), lookalike);
        }
        segments.appendHistory(segment, "created", now);
        return segment;
    }

    /**
     * Stores a new segment and records a backfill job for it, without evaluating any view: the
     * caller runs the job in pages ({@link #backfillPage}) after this commits. See
     * {@link #backfillPage} for why no view change can be missed.
     */
    @Transactional
    public AsyncStart createAsync(SegmentDefinition definition, LookalikeResult lookalike) {
        Segment segment = insertNew(definition, lookalike);
        readModel.afterCommit(List.of(), List.of(segment.id()));
        return new AsyncStart(segment, jobs.startBackfill(segment, views.count(), segment.createdAt()));
    }

    /** Like {@link #update} but the re-evaluation is left to a backfill job run in pages; empty when no such segment. */
    @Transactional
    public Optional<AsyncStart> updateAsync(UUID id, SegmentDefinition definition, LookalikeResult lookalike) {
        Optional<Segment> changed = changeDefinition(id, definition, lookalike);
        readModel.afterCommit(List.of(), List.of(id));
        return changed.map(segment -> new AsyncStart(segment, jobs.startBackfill(segment, views.count(), now(), true)));
    }

    /**
     * One page of an asynchronous backfill: re-evaluates the next {@code limit} views after
     * {@code after} against the segment, in its own transaction, and adds the page to the job's
     * progress. Cancelled (nothing evaluated) once the segment is archived or at another version.
     *
     * <p>Why no view change is missed although the backfill is not one transaction: the segment
     * was committed as active (under the exclusive definitions lock, which waited for every view
     * change in flight) before the first page runs. Every view change that commits afterwards takes
     * the shared lock, reads the active segments, and so evaluates this segment itself. Views that
     * changed before are seen here, because each page reads the committed view rows. A page and a
     * live change of the same view serialize on the view's row lock ({@code for update}) and each
     * evaluates the view as it then stands, so whichever runs last decides on the latest view;
     * enter/exit only report real row changes, so a view evaluated by both yields one event.
     * Pages take the shared lock too, so an edit, archive or sweep refresh (exclusive) never
     * interleaves with a page: the next page re-reads the segment and cancels if the version moved.
     */
    @Transactional
    public BackfillPage backfillPage(UUID job, UUID segmentId, int version, String after, int limit,
            boolean resyncHoldout) {
        segments.lockDefinitionsShared();
        Optional<Segment> stored = segments.findById(segmentId);
        if (stored.isEmpty() || stored.get().archived() || stored.get().version() != version) {
            return new BackfillPage(true, 0, after, List.of());
        }
        Segment segment = stored.get();
        Instant now = now();
        Map<String, Double> similarities = similarities(segment);
        List<SubscriberView> page = views.lockPageAfter(after, limit);
        List<Transition> transitions = new ArrayList<>();
        for (SubscriberView view : page) {
            transitions.addAll(reevaluate(view, List.of(segment), now, resyncHoldout, similarities));
        }
        long entered = transitions.stream().filter(t -> t.change() == MembershipChange.ENTERED).count();
        String last = page.isEmpty() ? after : page.get(page.size() - 1).subscriberId();
        jobs.advance(job, page.size(), entered, transitions.size() - entered, last);
        // every view of the page: an edit may also have moved continuing members in or out of the holdout
        readModel.afterCommit(page.stream().map(SubscriberView::subscriberId).toList(), List.of());
        return new BackfillPage(false, page.size(), last, transitions);
    }

    /** The job of an asynchronous create or update, committed with the definition. */
    public record AsyncStart(Segment segment, UUID job) {
    }

    public record BackfillPage(boolean cancelled, int processed, String last, List<Transition> transitions) {
    }

    /**
     * A sweep's refresh of a lookalike segment with model-service's new answer: stores it and
     * re-evaluates every view against the segment. Nothing changes (empty) when the segment was
     * archived or edited since {@code version} was read.
     */
    @Transactional
    public List<Transition> refreshLookalike(UUID id, int version, LookalikeResult lookalike) {
        segments.lockDefinitionsExclusive();
        Optional<Segment> stored = segments.lock(id);
        if (stored.isEmpty() || stored.get().archived() || stored.get().version() != version) {
            return List.of();
        }
        segments.replaceLookalike(id, lookalike);
        Segment segment = stored.get();
        Instant now = now();
        Map<String, Double> similarities = lookalike.similarities();
        List<Transition> transitions = new ArrayList<>();
        forEachLockedView(view -> transitions.addAll(reevaluate(view, List.of(segment), now, false, similarities)));
        readModel.afterCommit(List.of(), List.of(id));
        return transitions;
    }

    private Map<String, Double> similarities(Segment segment) {
        return segment.kind() == SegmentKind.LOOKALIKE ? segments.lookalikeSimilarities(segment.id()) : null;
    }

    /**
     * Replaces a segment's definition (version + 1) and re-evaluates every view against it like a
     * backfill: one event per real transition, carrying the new version; continuing members keep
     * their entry time and get their holdout flag recomputed. Empty when there is no such segment.
     */
    @Transactional
    public Optional<CreatedSegment> update(UUID id, SegmentDefinition definition) {
        return update(id, definition, null);
    }

    /** As {@link #update(UUID, SegmentDefinition)}; {@code lookalike}: model-service's answer for a lookalike. */
    @Transactional
    public Optional<CreatedSegment> update(UUID id, SegmentDefinition definition, LookalikeResult lookalike) {
        Optional<Segment> changed = changeDefinition(id, definition, lookalike);
        if (changed.isEmpty()) {
            return Optional.empty();
        }
        List<Transition> transitions = backfill(changed.get(), now(), true);
        readModel.afterCommit(List.of(), List.of(id));
        return Optional.of(new CreatedSegment(changed.get(), transitions));
    }

    /** Stores a definition's next version (cutoff, lookalike answer, history); no re-evaluation. Empty: no such segment. */
    public Optional<Segment> changeDefinition(UUID id, SegmentDefinition definition, LookalikeResult lookalike) {
        segments.lockDefinitionsExclusive();
        Instant now = now();
        Optional<Segment> stored = segments.lock(id);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        if (stored.get().archived()) {
            throw new SegmentArchivedException(id);
        }
        Segment segment = withFreshCutoff(stored.get().withDefinition(stored.get().version() + 1, definition));
        segments.update(segment);
        if (lookalike != null) {
            segments.replaceLookalike(id, lookalike);
        }
        segments.appendHistory(segment, "updated", now);
        return Optional.of(segment);
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
        readModel.afterCommit(List.of(), List.of(id));
        List<Transition> transitions = new ArrayList<>();
        for (MembershipRepository.Member member : memberships.exitAllOf(id)) {
            transitions.add(record(new Transition(id, segment.name(), segment.version(), member.subscriberId(),
                    MembershipChange.EXITED, ARCHIVED_REASON, member.holdout()), now));
        }
        return Optional.of(new CreatedSegment(new Segment(id, segment.version(), segment.createdAt(),
                segment.definition(), true), transitions));
    }

    /** Freezes the segment's current members. */
    @Transactional
    public SnapshotRepository.Snapshot snapshot(Segment segment, String label) {
        return snapshots.take(segment, label, now());
    }

    /** Records a send to the subscriber (for cadence caps) at {@code sentAt}, or now. */
    @Transactional
    public Instant recordSend(String subscriberId, Instant sentAt, UUID segmentId, String contentKey) {
        return recordSend(subscriberId, sentAt, segmentId, contentKey, null);
    }

    /** As above; with a {@code messageId} the send is recorded only once per id (API and Email Sent events). */
    @Transactional
    public Instant recordSend(String subscriberId, Instant sentAt, UUID segmentId, String contentKey,
            String messageId) {
        Instant at = sentAt == null ? now() : sentAt.truncatedTo(ChronoUnit.MICROS);
        if (messageId == null) {
            sends.record(subscriberId, at, segmentId, contentKey);
        } else {
            sends.recordOnce(subscriberId, at, messageId, segmentId, contentKey);
        }
        return at;
    }

    /** Evaluates a definition over every view without storing anything. */
    public Preview preview(SegmentDefinition definition, int sampleSize) {
        return preview(definition, sampleSize, null);
    }

    /** As {@link #preview(SegmentDefinition, int)}; {@code lookalike}: model-service's answer for a lookalike. */
    public Preview preview(SegmentDefinition definition, int sampleSize, LookalikeResult lookalike) {
        Instant now = now();
        Double cutoff = withFreshCutoff(new Segment(UUID.randomUUID(), 1, now, definition)).cutoff();
        PreviewTally tally = new PreviewTally(definition, cutoff, lookalike == null ? Map.of()
                : lookalike.similarities(), now, sampleSize);
        String after = "";
        List<SubscriberView> page;
        do {
            page = views.pageAfter(after, BACKFILL_PAGE);
            page.forEach(tally::add);
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).subscriberId();
            }
        } while (page.size() == BACKFILL_PAGE);
        PreviewTally.Result result = tally.result();
        return new Preview(result.size(), result.sample(), result.evaluatedSubscribers(), result.byRfmGroup());
    }

    /**
     * Re-evaluates every view against one segment inside the caller's transaction, recorded as a
     * backfill job: the job row and its progress (after every page) are committed in their own
     * transactions so {@code GET /v1/jobs} shows them while the backfill runs; the job is marked
     * completed in the caller's transaction (so only if the definition commits) or failed.
     */
    private List<Transition> backfill(Segment segment, Instant now, boolean resyncHoldout) {
        long total = views.count();
        UUID job = QuarkusTransaction.requiringNew().call(() -> jobs.startBackfill(segment, total, now));
        List<Transition> transitions = new ArrayList<>();
        Map<String, Double> similarities = similarities(segment);
        try {
            long processed = forEachLockedView(view -> transitions.addAll(reevaluate(view, List.of(segment), now,
                    resyncHoldout, similarities)), done -> {
                        long entered = transitions.stream().filter(t -> t.change() == MembershipChange.ENTERED).count();
                        QuarkusTransaction.requiringNew().run(() -> jobs.progress(job, done, entered,
                                transitions.size() - entered));
                    });
            jobs.complete(job, processed, transitions, now());
            return transitions;
        } catch (RuntimeException e) {
            QuarkusTransaction.requiringNew().run(() -> jobs.finish(job, "failed", now()));
            throw e;
        }
    }

    private long forEachLockedView(java.util.function.Consumer<SubscriberView> action) {
        return forEachLockedView(action, done -> {
        });
    }

    private long forEachLockedView(java.util.function.Consumer<SubscriberView> action,
            java.util.function.LongConsumer afterPage) {
        String after = "";
        long processed = 0;
        List<SubscriberView> page;
        do {
            page = views.lockPageAfter(after, BACKFILL_PAGE);
            page.forEach(action);
            processed += page.size();
            if (page.size() == BACKFILL_PAGE) {
                afterPage.accept(processed);
            }
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).subscriberId();
            }
        } while (page.size() == BACKFILL_PAGE);
        return processed;
    }

    /**
     * Evaluates the view against the candidates and writes only real transitions. With several
     * candidates (a live update, a sweep) the subscriber's memberships are read once up front: the
     * view row lock and the shared definitions lock keep them stable until commit. A single
     * candidate (a backfill) writes directly. Either way enter/exit report whether a row really
     * changed, so an event is only ever written for a real transition.
     */
    private List<Transition> reevaluate(SubscriberView stored, List<Segment> candidates, Instant now,
            boolean resyncHoldout) {
        return reevaluate(stored, candidates, now, resyncHoldout, null);
    }

    /**
     * {@code similarities}: the lookalike items of the (single) lookalike candidate. Without them
     * lookalike segments are skipped: their membership changes only when model-service's answer is
     * refreshed (create, edit, sweep), not on each view change.
     */
    private List<Transition> reevaluate(SubscriberView stored, List<Segment> candidates, Instant now,
            boolean resyncHoldout, Map<String, Double> similarities) {
        SubscriberView view = stored.asOf(now);
        Map<UUID, Boolean> current = candidates.size() > 1 ? memberships.memberships(view.subscriberId()) : null;
        List<Transition> transitions = new ArrayList<>();
        for (Segment segment : candidates) {
            boolean lookalike = segment.kind() == SegmentKind.LOOKALIKE;
            if (lookalike && similarities == null) {
                continue;
            }
            Double similarity = lookalike ? similarities.get(view.subscriberId()) : null;
            boolean matched = lookalike ? SegmentMatcher.matchesLookalike(segment.definition(), similarity, view)
                    : SegmentMatcher.matches(segment, view);
            boolean holdout = segment.definition().holdsOut(segment.id(), view.subscriberId());
            Boolean wasMember = current == null ? null : current.get(segment.id());
            boolean changed;
            if (matched) {
                changed = wasMember == null && memberships.enter(segment.id(), view.subscriberId(), now, holdout);
                if (!changed && resyncHoldout && (wasMember == null || wasMember != holdout)) {
                    memberships.setHoldout(segment.id(), view.subscriberId(), holdout);
                }
            } else {
                changed = (current == null || wasMember != null) && memberships.exit(segment.id(), view.subscriberId());
            }
            if (changed) {
                MembershipChange change = matched ? MembershipChange.ENTERED : MembershipChange.EXITED;
                String reason = lookalike
                        ? SegmentMatcher.evaluateLookalike(segment.definition(), similarity, view).reason()
                        : SegmentMatcher.evaluate(segment, view).reason();
                transitions.add(record(new Transition(segment.id(), segment.name(), segment.version(),
                        view.subscriberId(), change, reason, holdout), now));
            }
        }
        return transitions;
    }

    private static List<String> subscribersOf(List<Transition> transitions) {
        return transitions.stream().map(Transition::subscriberId).distinct().toList();
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

    /**
     * {@code size} matching views of {@code evaluatedSubscribers}; the first matches in subscriber id
     * order; the matches per RFM group ("none" for subscribers without one).
     */
    public record Preview(long size, List<String> sample, long evaluatedSubscribers, Map<String, Long> byRfmGroup) {
    }

    /** An archived segment cannot be edited. */
    public static class SegmentArchivedException extends RuntimeException {
        public SegmentArchivedException(UUID id) {
            super("Segment " + id + " is archived and can no longer be changed", null, false, false);
        }
    }
}
