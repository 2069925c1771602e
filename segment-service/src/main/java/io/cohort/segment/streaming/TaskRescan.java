package io.cohort.segment.streaming;

import java.util.Map;
import java.util.UUID;

/**
 * Where one stream task stands in re-evaluating its views after a definitions change (the streams
 * form of a backfill): {@code scanning} the segment versions of the rescan in progress (empty when
 * none), {@code done} of {@code total} views of it; {@code finished} the segment versions of the last
 * completed rescan, over {@code finishedViews} views; {@code transitions}: per segment, the entered
 * and exited transitions the task's rescans produced for its newest version seen (a backfill job's counts).
 */
public record TaskRescan(Map<UUID, Integer> scanning, long done, long total, Map<UUID, Integer> finished,
        long finishedViews, Map<UUID, Transitions> transitions) {

    public TaskRescan {
        scanning = Map.copyOf(scanning);
        finished = Map.copyOf(finished);
        transitions = Map.copyOf(transitions);
    }

    public TaskRescan(Map<UUID, Integer> scanning, long done, long total, Map<UUID, Integer> finished,
            long finishedViews) {
        this(scanning, done, total, finished, finishedViews, Map.of());
    }

    /** The entered and exited transitions this task's rescans produced for a segment at {@code version}. */
    public record Transitions(int version, long entered, long exited) {

        static final Transitions NONE = new Transitions(0, 0, 0);
    }

    /** What this task's rescans entered and exited of the segment at {@code version} (0 and 0 for another version). */
    public Transitions transitionsOf(UUID segmentId, int version) {
        Transitions counted = transitions.get(segmentId);
        return counted == null || counted.version() != version ? new Transitions(version, 0, 0) : counted;
    }

    /** Whether every view of this task has been evaluated against the segment at {@code version} or later. */
    public boolean covers(UUID segmentId, int version) {
        return finished.getOrDefault(segmentId, 0) >= version;
    }

    /** Views of this task evaluated against the segment at {@code version} or later so far, of how many. */
    public long[] progress(UUID segmentId, int version) {
        if (covers(segmentId, version)) {
            return new long[] {finishedViews, finishedViews};
        }
        if (scanning.getOrDefault(segmentId, 0) >= version) {
            return new long[] {done, Math.max(done, total)};
        }
        return new long[] {0, Math.max(total, finishedViews)};
    }
}
