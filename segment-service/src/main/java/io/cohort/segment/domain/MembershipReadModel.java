package io.cohort.segment.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory read model behind the lookups other services call: per subscriber the memberships
 * and the view (the inputs of an explanation), and every segment with its lookalike answer. It is
 * only ever filled from committed database state (by the refresher), never from a transaction in
 * flight.
 *
 * <p>Freshness: whoever commits a change marks the subscribers (or segments) it touched
 * <em>pending</em> before its commit returns; a pending mark is cleared only by a refresh that
 * read the database after it was set. {@link #isCurrent} is false while any mark the lookup
 * depends on is pending (or before the first full load), and the caller then reads through to the
 * database. So a replica always reads its own writes; changes committed by other replicas arrive
 * through the membership topic (see {@code MembershipChangesListener}).
 *
 * <p>Pure Java (no Quarkus): all methods are thread-safe; entries are immutable and replaced whole.
 */
public final class MembershipReadModel {

    private final Map<String, Entry> subscribers = new ConcurrentHashMap<>();
    private volatile Map<UUID, SegmentEntry> segments = Map.of();
    private final Map<String, Long> pendingSubscribers = new ConcurrentHashMap<>();
    private final Map<UUID, Long> pendingSegments = new ConcurrentHashMap<>();
    private final AtomicLong marks = new AtomicLong();
    private final CompactView.Names names = new CompactView.Names(10_000);
    private volatile boolean loaded;

    /** A segment as the lookups need it: definition, and for a lookalike the stored answer. */
    public record SegmentEntry(Segment segment, Map<String, Double> similarities, Map<String, Object> summary) {
    }

    /** One membership of a subscriber. */
    public record Member(Segment segment, Instant enteredAt, boolean holdout) {
    }

    /**
     * One subscriber: the view and the memberships as parallel arrays (segment ids shared with the
     * segment registry, entry times in epoch microseconds) — about 13 bytes per membership.
     */
    static final class Entry {
        final CompactView view;
        final UUID[] segmentIds;
        final long[] enteredAtMicros;
        final boolean[] holdout;

        Entry(CompactView view, UUID[] segmentIds, long[] enteredAtMicros, boolean[] holdout) {
            this.view = view;
            this.segmentIds = segmentIds;
            this.enteredAtMicros = enteredAtMicros;
            this.holdout = holdout;
        }

        int indexOf(UUID segmentId) {
            for (int i = 0; i < segmentIds.length; i++) {
                if (segmentIds[i].equals(segmentId)) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** A membership row as loaded from the database. */
    public record StoredMembership(UUID segmentId, Instant enteredAt, boolean holdout) {
    }

    // ---- freshness marks ----

    /** Marks subscribers pending; call before the commit that changed them returns. Returns the mark. */
    public long markSubscribers(Collection<String> subscriberIds) {
        long mark = marks.incrementAndGet();
        for (String id : subscriberIds) {
            pendingSubscribers.put(id, mark);
        }
        return mark;
    }

    public long markSegments(Collection<UUID> segmentIds) {
        long mark = marks.incrementAndGet();
        for (UUID id : segmentIds) {
            pendingSegments.put(id, mark);
        }
        return mark;
    }

    /** The pending subscribers with their marks (a snapshot; the refresher reads the database after taking it). */
    public Map<String, Long> pendingSubscribers(int limit) {
        Map<String, Long> batch = new HashMap<>();
        for (Map.Entry<String, Long> e : pendingSubscribers.entrySet()) {
            if (batch.size() >= limit) {
                break;
            }
            batch.put(e.getKey(), e.getValue());
        }
        return batch;
    }

    public Map<UUID, Long> pendingSegments() {
        return Map.copyOf(pendingSegments);
    }

    /** Clears the marks a refresh covered; a mark set again meanwhile stays (its change may be newer than the read). */
    public void refreshedSubscribers(Map<String, Long> covered) {
        covered.forEach(pendingSubscribers::remove);
    }

    public void refreshedSegment(UUID segmentId, long mark) {
        pendingSegments.remove(segmentId, mark);
    }

    public void loaded() {
        loaded = true;
    }

    public boolean isLoaded() {
        return loaded;
    }

    /** Whether an answer about this subscriber from memory reflects every commit this replica made. */
    public boolean isCurrent(String subscriberId) {
        return loaded && pendingSegments.isEmpty() && !pendingSubscribers.containsKey(subscriberId);
    }

    // ---- filling ----

    /** Replaces the registry of segments (active and archived). */
    public void replaceSegments(Collection<SegmentEntry> all) {
        Map<UUID, SegmentEntry> next = new HashMap<>();
        all.forEach(s -> next.put(s.segment().id(), s));
        segments = Map.copyOf(next);
    }

    public void putSegment(SegmentEntry entry) {
        Map<UUID, SegmentEntry> next = new HashMap<>(segments);
        next.put(entry.segment().id(), entry);
        segments = Map.copyOf(next);
    }

    /** Stores a subscriber as committed: the view (empty: unknown, forgotten) and the memberships. */
    public void putSubscriber(String subscriberId, Optional<SubscriberView> view, List<StoredMembership> memberships) {
        if (view.isEmpty() && memberships.isEmpty()) {
            subscribers.remove(subscriberId);
            return;
        }
        subscribers.put(subscriberId, entry(subscriberId, view, memberships));
    }

    private Entry entry(String subscriberId, Optional<SubscriberView> view, List<StoredMembership> memberships) {
        int n = memberships.size();
        UUID[] ids = new UUID[n];
        long[] entered = new long[n];
        boolean[] holdout = new boolean[n];
        for (int i = 0; i < n; i++) {
            StoredMembership m = memberships.get(i);
            ids[i] = shared(m.segmentId());
            entered[i] = ChronoUnit.MICROS.between(Instant.EPOCH, m.enteredAt());
            holdout[i] = m.holdout();
        }
        return new Entry(CompactView.of(view.orElse(SubscriberView.empty(subscriberId)), names), ids, entered, holdout);
    }

    /**
     * Replaces one segment's memberships in every subscriber with {@code members} (subscriber id →
     * membership), e.g. after a definition change or archive re-evaluated the whole segment.
     */
    public void replaceSegmentMembers(UUID segmentId, Map<String, StoredMembership> members) {
        UUID id = shared(segmentId);
        subscribers.replaceAll((subscriberId, entry) -> {
            StoredMembership now = members.get(subscriberId);
            int at = entry.indexOf(id);
            if (now == null && at < 0) {
                return entry;
            }
            List<StoredMembership> rows = new ArrayList<>(entry.segmentIds.length + 1);
            for (int i = 0; i < entry.segmentIds.length; i++) {
                if (i != at) {
                    rows.add(stored(entry, i));
                }
            }
            if (now != null) {
                rows.add(now);
            }
            return entry(subscriberId, Optional.of(entry.view.expand()), rows);
        });
        members.forEach((subscriberId, m) -> subscribers.computeIfAbsent(subscriberId,
                s -> entry(s, Optional.empty(), List.of(m))));
    }

    private static StoredMembership stored(Entry entry, int i) {
        return new StoredMembership(entry.segmentIds[i], Instant.EPOCH.plus(entry.enteredAtMicros[i], ChronoUnit.MICROS),
                entry.holdout[i]);
    }

    private UUID shared(UUID segmentId) {
        SegmentEntry known = segments.get(segmentId);
        return known == null ? segmentId : known.segment().id();
    }

    // ---- reading ----

    public Optional<SegmentEntry> segment(UUID id) {
        return Optional.ofNullable(segments.get(id));
    }

    /** The subscriber's memberships, oldest entry first (ties by segment name), as the database listing orders them. */
    public List<Member> segmentsOf(String subscriberId) {
        Entry entry = subscribers.get(subscriberId);
        if (entry == null) {
            return List.of();
        }
        List<Member> members = new ArrayList<>(entry.segmentIds.length);
        Map<UUID, SegmentEntry> registry = segments;
        for (int i = 0; i < entry.segmentIds.length; i++) {
            SegmentEntry segment = registry.get(entry.segmentIds[i]);
            if (segment != null) {
                members.add(new Member(segment.segment(),
                        Instant.EPOCH.plus(entry.enteredAtMicros[i], ChronoUnit.MICROS), entry.holdout[i]));
            }
        }
        members.sort(Comparator.comparing(Member::enteredAt).thenComparing(m -> m.segment().name()));
        return members;
    }

    /** The subscriber's membership of one segment, if a member. */
    public Optional<Member> membership(UUID segmentId, String subscriberId) {
        Entry entry = subscribers.get(subscriberId);
        SegmentEntry segment = segments.get(segmentId);
        if (entry == null || segment == null) {
            return Optional.empty();
        }
        int at = entry.indexOf(segmentId);
        return at < 0 ? Optional.empty() : Optional.of(new Member(segment.segment(),
                Instant.EPOCH.plus(entry.enteredAtMicros[at], ChronoUnit.MICROS), entry.holdout[at]));
    }

    /** The subscriber's view as committed (empty view for an unknown subscriber). */
    public SubscriberView view(String subscriberId) {
        Entry entry = subscribers.get(subscriberId);
        return entry == null ? SubscriberView.empty(subscriberId) : entry.view.expand();
    }

    /** Explains one subscriber's standing in one segment at {@code now}, like the database-backed path. */
    public Explanation explain(SegmentEntry segment, SubscriberView view) {
        if (segment.segment().kind() != SegmentKind.LOOKALIKE) {
            return SegmentMatcher.explain(segment.segment(), view);
        }
        return SegmentMatcher.explainLookalike(segment.segment().definition(),
                segment.similarities().get(view.subscriberId()), segment.summary(), view);
    }

    /** Whether the read model holds this subscriber's view at exactly these versions. */
    public boolean holdsView(String subscriberId, Long featureVersion, ScoreVersion scoreVersion) {
        Entry entry = subscribers.get(subscriberId);
        return entry != null && java.util.Objects.equals(entry.view.featureVersion(), featureVersion)
                && java.util.Objects.equals(entry.view.scoreVersion(), scoreVersion);
    }

    /** The subscriber ids held (a snapshot). */
    public java.util.Set<String> subscriberIds() {
        return java.util.Set.copyOf(subscribers.keySet());
    }

    public int size() {
        return subscribers.size();
    }

}
