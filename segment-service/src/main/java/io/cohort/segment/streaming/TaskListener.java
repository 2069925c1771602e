package io.cohort.segment.streaming;

import io.cohort.segment.domain.Transition;
import java.util.List;

/**
 * What the stream tasks tell the rest of the service: per-record outcomes, dead letters and
 * transitions (metrics) and the progress of their rescans (backfill jobs). Called on stream threads;
 * counts are of processing, so a transaction aborted and retried after a crash counts twice.
 */
public interface TaskListener {

    TaskListener NONE = new TaskListener() {
    };

    /** An input record on {@code topic}: applied, stale, erased (tombstone or request) or suppressed. */
    default void record(String topic, String outcome) {
    }

    default void deadLettered(String topic) {
    }

    default void transitions(List<Transition> transitions) {
    }

    default void rescan(String taskId, TaskRescan progress) {
    }

    /** The task left this instance (rebalance, shutdown): its progress is reported elsewhere now. */
    default void closed(String taskId) {
    }
}
