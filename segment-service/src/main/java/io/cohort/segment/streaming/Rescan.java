package io.cohort.segment.streaming;

import io.cohort.contracts.MembershipChange;
import io.cohort.segment.domain.ActiveSegments;
import io.cohort.segment.domain.Segment;
import io.cohort.segment.domain.SubscriberView;
import io.cohort.segment.domain.Transition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The streams form of a backfill, paged: once the definitions changed (created, edited, archived, a
 * new cutoff) the task re-evaluates every view it holds, at most {@code batch} views per
 * punctuation, resuming after the last key evaluated, so records keep flowing (and each page commits)
 * between pages. A further change restarts the scan from the first key against the newer
 * definitions; live records are always evaluated against the newest ones. A task that starts (start-up,
 * a partition moved here) scans once, since it cannot know what its predecessor had evaluated.
 * Progress is reported after every page ({@link TaskRescan}), with the transitions the rescans
 * produced per segment version (counted for as long as the task lives; a newer version starts at 0).
 */
final class Rescan {

    private final KeyValueStore<String, SubscriberView> views;
    private final int batch;
    private final Consumer<TaskRescan> report;
    /** The generation every view was last evaluated against; -1: not yet since this task started. */
    private long evaluatedGeneration = -1;
    private Map<UUID, Integer> finished = Map.of();
    private long finishedViews;
    /** The definitions being rescanned; null when no rescan is in progress. */
    private ActiveSegments scanning;
    private String lastKey;
    private long done;
    private long total;
    private final Map<UUID, TaskRescan.Transitions> transitions = new HashMap<>();

    Rescan(KeyValueStore<String, SubscriberView> views, int batch, Consumer<TaskRescan> report) {
        this.views = views;
        this.batch = batch;
        this.report = report;
    }

    /** Starts a rescan when the definitions moved past those last evaluated (or being evaluated). */
    void startIfChanged(ActiveSegments active) {
        long target = scanning != null ? scanning.generation() : evaluatedGeneration;
        if (active.generation() == target) {
            return;
        }
        scanning = active;
        lastKey = null;
        done = 0;
        total = views.approximateNumEntries();
        report();
    }

    /** Evaluates the next page of views, if a rescan is in progress (restarting it if the definitions moved again). */
    void page(ActiveSegments active, BiFunction<SubscriberView, ActiveSegments, List<Transition>> evaluate) {
        if (scanning == null) {
            return;
        }
        if (active.generation() != scanning.generation()) {
            startIfChanged(active);
        }
        int left = batch;
        try (KeyValueIterator<String, SubscriberView> next = lastKey == null ? views.all()
                : views.range(lastKey, null)) {
            while (left > 0 && next.hasNext()) {
                KeyValue<String, SubscriberView> entry = next.next();
                if (entry.key.equals(lastKey)) {
                    continue;
                }
                count(evaluate.apply(entry.value, scanning));
                lastKey = entry.key;
                done++;
                left--;
            }
            if (!next.hasNext()) {
                evaluatedGeneration = scanning.generation();
                finished = versions(scanning);
                finishedViews = done;
                scanning = null;
            }
        }
        report();
    }

    private void count(List<Transition> produced) {
        for (Transition t : produced) {
            TaskRescan.Transitions before = transitions.getOrDefault(t.segmentId(), TaskRescan.Transitions.NONE);
            if (t.segmentVersion() < before.version()) {
                continue; // an exit of a version already replaced: not the newest backfill's
            }
            TaskRescan.Transitions from = t.segmentVersion() == before.version() ? before
                    : new TaskRescan.Transitions(t.segmentVersion(), 0, 0);
            boolean entered = t.change() == MembershipChange.ENTERED;
            transitions.put(t.segmentId(), new TaskRescan.Transitions(from.version(),
                    from.entered() + (entered ? 1 : 0), from.exited() + (entered ? 0 : 1)));
        }
    }

    private void report() {
        report.accept(new TaskRescan(scanning == null ? Map.of() : versions(scanning), done, Math.max(done, total),
                finished, finishedViews, transitions));
    }

    private static Map<UUID, Integer> versions(ActiveSegments active) {
        Map<UUID, Integer> versions = new HashMap<>();
        for (Segment segment : active.segments()) {
            versions.put(segment.id(), segment.version());
        }
        return versions;
    }
}
