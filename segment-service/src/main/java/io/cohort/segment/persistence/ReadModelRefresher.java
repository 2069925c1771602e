package io.cohort.segment.persistence;

import io.cohort.segment.domain.MembershipReadModel;
import io.cohort.segment.domain.MembershipReadModel.SegmentEntry;
import io.cohort.segment.domain.MembershipReadModel.StoredMembership;
import io.cohort.segment.domain.Segment;
import io.cohort.segment.domain.SegmentKind;
import io.cohort.segment.domain.SubscriberView;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Fills the {@link MembershipReadModel} from PostgreSQL and keeps it current, on one background
 * thread: a full load at start-up, then a reload of every subscriber or segment marked pending.
 * Marks come from this replica's commits ({@link #afterCommit}), from membership events of any
 * replica ({@code MembershipChangesListener}) and from a poll of the segments' fingerprints every
 * {@code segment.read-model.poll-interval} (definition edits, archive, cutoffs and lookalike
 * answers committed by other replicas). Loads read committed rows only.
 */
@ApplicationScoped
public class ReadModelRefresher {

    private static final Logger LOG = Logger.getLogger(ReadModelRefresher.class);
    static final int PAGE = 1000;
    static final int BATCH = 500;
    static final java.time.Duration VIEW_POLL_OVERLAP = java.time.Duration.ofSeconds(10);

    private final MembershipReadModel model = new MembershipReadModel();
    private final SubscriberViewRepository views;
    private final MembershipRepository memberships;
    private final SegmentRepository segments;
    private final TransactionSynchronizationRegistry transactions;
    private final long pollMillis;
    private final long reconcileMillis;
    /** Views written after this were not yet compared with memory; touched by the refresher thread only. */
    private java.time.Instant viewsSince = java.time.Instant.EPOCH;
    private final Semaphore wake = new Semaphore(0);
    /** Fingerprints of the segments as last loaded; touched by the refresher thread only. */
    private final Map<UUID, String> known = new HashMap<>();
    private volatile boolean running = true;
    private Thread thread;

    public ReadModelRefresher(SubscriberViewRepository views, MembershipRepository memberships,
            SegmentRepository segments, TransactionSynchronizationRegistry transactions,
            @ConfigProperty(name = "segment.read-model.poll-interval-ms", defaultValue = "1000") long pollMillis,
            @ConfigProperty(name = "segment.read-model.reconcile-interval", defaultValue = "PT5M")
            java.time.Duration reconcile) {
        this.reconcileMillis = reconcile.toMillis();
        this.views = views;
        this.memberships = memberships;
        this.segments = segments;
        this.transactions = transactions;
        this.pollMillis = pollMillis;
    }

    public MembershipReadModel model() {
        return model;
    }

    /** Off under the streams engine: lookups read the stores there, and no view or membership is in PostgreSQL. */
    @jakarta.inject.Inject
    io.cohort.segment.streaming.EngineConfig engine;

    void start(@Observes StartupEvent event) {
        if (engine.streamsEngine()) {
            return;
        }
        thread = new Thread(this::run, "segment-read-model");
        thread.setDaemon(true);
        thread.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /**
     * Call inside a transaction that changed these subscribers or segments: they are pending from
     * now (lookups read through to the database meanwhile) and again once the commit is done, so
     * the reload that clears the mark reads the committed state. Without a transaction: marks now.
     */
    public void afterCommit(Collection<String> subscriberIds, Collection<UUID> segmentIds) {
        if (subscriberIds.isEmpty() && segmentIds.isEmpty()) {
            return;
        }
        List<String> subscribers = List.copyOf(subscriberIds);
        List<UUID> changedSegments = List.copyOf(segmentIds);
        mark(subscribers, changedSegments);
        if (transactions.getTransactionKey() == null) {
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    mark(subscribers, changedSegments);
                }
            }
        });
    }

    /** Marks subscribers changed elsewhere (membership events of other replicas) pending. */
    public void changedElsewhere(Collection<String> subscriberIds) {
        mark(subscriberIds, List.of());
    }

    private void mark(Collection<String> subscriberIds, Collection<UUID> segmentIds) {
        if (!subscriberIds.isEmpty()) {
            model.markSubscribers(subscriberIds);
        }
        if (!segmentIds.isEmpty()) {
            model.markSegments(segmentIds);
        }
        wake.release();
    }

    private void run() {
        long nextPoll = 0;
        long nextReconcile = System.currentTimeMillis() + reconcileMillis;
        while (running) {
            try {
                if (!model.isLoaded()) {
                    loadAll();
                    model.loaded();
                    LOG.infof("read model loaded: %d subscribers", model.size());
                }
                if (System.currentTimeMillis() >= nextPoll) {
                    pollSegments();
                    pollViews();
                    nextPoll = System.currentTimeMillis() + pollMillis;
                }
                if (System.currentTimeMillis() >= nextReconcile) {
                    markErasedElsewhere();
                    nextReconcile = System.currentTimeMillis() + reconcileMillis;
                }
                refreshSegments();
                refreshSubscribers();
                wake.tryAcquire(Math.max(1, nextPoll - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // the database may be restarting: lookups read through meanwhile, marks stay pending
                LOG.warnf("read model refresh failed, retrying: %s", e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void loadAll() {
        viewsSince = views.lastUpdate().map(at -> at.minus(VIEW_POLL_OVERLAP)).orElse(java.time.Instant.EPOCH);
        Map<UUID, String> fingerprints = segments.fingerprints();
        model.replaceSegments(segments.findAll().stream().map(this::entry).toList());
        known.clear();
        known.putAll(fingerprints);
        String after = "";
        List<SubscriberView> page;
        do {
            page = views.pageAfter(after, PAGE);
            Map<String, List<StoredMembership>> rows = memberships.membershipsOf(
                    page.stream().map(SubscriberView::subscriberId).toList());
            for (SubscriberView view : page) {
                model.putSubscriber(view.subscriberId(), Optional.of(view),
                        rows.getOrDefault(view.subscriberId(), List.of()));
            }
            markUnknownSegments(rows);
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).subscriberId();
            }
        } while (page.size() == PAGE);
    }

    private void pollSegments() {
        Map<UUID, String> fingerprints = segments.fingerprints();
        Set<UUID> changed = fingerprints.entrySet().stream()
                .filter(e -> !e.getValue().equals(known.get(e.getKey())))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        if (!changed.isEmpty()) {
            model.markSegments(changed);
        }
    }

    /**
     * Feature or score changes committed by other replicas that caused no transition send no
     * event; the poll finds them by updated_at and reloads the views whose versions differ from
     * memory. The window overlaps by {@link #VIEW_POLL_OVERLAP}: updated_at is set before the
     * commit, so a slow commit can land behind a later row already seen.
     */
    private void pollViews() {
        List<SubscriberViewRepository.Stamp> changed;
        do {
            changed = views.changedSince(viewsSince, PAGE);
            List<String> stale = changed.stream()
                    .filter(v -> !model.holdsView(v.subscriberId(), v.featureVersion(), v.scoreVersion()))
                    .map(SubscriberViewRepository.Stamp::subscriberId).toList();
            if (!stale.isEmpty()) {
                model.markSubscribers(stale);
            }
            if (changed.size() == PAGE) {
                viewsSince = changed.get(changed.size() - 1).updatedAt();
            } else if (!changed.isEmpty()) {
                java.time.Instant newest = changed.get(changed.size() - 1).updatedAt().minus(VIEW_POLL_OVERLAP);
                viewsSince = newest.isAfter(viewsSince) ? newest : viewsSince;
            }
        } while (changed.size() == PAGE);
    }

    /**
     * An erasure on another replica of a subscriber without memberships sends no event: every
     * {@code segment.read-model.reconcile-interval} the ids held are compared with the views
     * stored, and those gone are reloaded (which forgets them).
     */
    private void markErasedElsewhere() {
        Set<String> stored = views.allIds();
        List<String> gone = model.subscriberIds().stream().filter(id -> !stored.contains(id)).toList();
        if (!gone.isEmpty()) {
            model.markSubscribers(gone);
        }
    }

    private void refreshSegments() {
        Map<UUID, Long> pending = model.pendingSegments();
        if (pending.isEmpty()) {
            return;
        }
        Map<UUID, String> fingerprints = segments.fingerprints();
        pending.forEach((id, mark) -> {
            Optional<Segment> segment = segments.findById(id);
            segment.ifPresent(s -> model.putSegment(entry(s)));
            model.replaceSegmentMembers(id, segment.isPresent() ? memberships.membersOf(id) : Map.of());
            known.put(id, fingerprints.get(id));
            model.refreshedSegment(id, mark);
        });
    }

    private void refreshSubscribers() {
        Map<String, Long> batch;
        while (running && !(batch = model.pendingSubscribers(BATCH)).isEmpty()) {
            Map<String, SubscriberView> stored = views.findAll(batch.keySet()).stream()
                    .collect(Collectors.toMap(SubscriberView::subscriberId, Function.identity()));
            Map<String, List<StoredMembership>> rows = memberships.membershipsOf(batch.keySet());
            for (String id : batch.keySet()) {
                model.putSubscriber(id, Optional.ofNullable(stored.get(id)), rows.getOrDefault(id, List.of()));
            }
            markUnknownSegments(rows);
            model.refreshedSubscribers(batch);
        }
    }

    /** A membership of a segment created elsewhere and not loaded yet: load it (lookups read through until then). */
    private void markUnknownSegments(Map<String, List<StoredMembership>> rows) {
        Set<UUID> unknown = rows.values().stream().flatMap(List::stream).map(StoredMembership::segmentId)
                .filter(id -> model.segment(id).isEmpty()).collect(Collectors.toSet());
        if (!unknown.isEmpty()) {
            model.markSegments(unknown);
        }
    }

    private SegmentEntry entry(Segment segment) {
        if (segment.kind() != SegmentKind.LOOKALIKE) {
            return new SegmentEntry(segment, Map.of(), Map.of());
        }
        return new SegmentEntry(segment, segments.lookalikeSimilarities(segment.id()),
                segments.lookalikeSummary(segment.id()));
    }
}
