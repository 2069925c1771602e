package io.cohort.segment.streaming;

import java.util.Map;
import java.util.UUID;

/**
 * Where one stream task stands in re-evaluating its views after a definitions change (the streams
 * form of a backfill): {@code scanning} the segment versions of the rescan in progress (empty when
 * none), {@code done} of {@code total} views of it; {@code finished} the segment versions of the last
 * completed rescan, over {@code finishedViews} views.
 */
public record TaskRescan(Map<UUID, Integer> scanning, long done, long total, Map<UUID, Integer> finished,
        long finishedViews) {

    public TaskRescan {
        scanning = Map.copyOf(scanning);
        finished = Map.copyOf(finished);
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
