package io.cohort.feature.streaming;

import io.cohort.feature.domain.StreamedSubscriber;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;

/**
 * What one task must still publish, in memory, shared by the two processors that write
 * {@link FeatureTopology#SUBSCRIBERS} ({@link SubscriberFeatureProcessor} and
 * {@link AccountRollupReceiver}): the subscribers marked since the last coalescing tick (with when
 * they were first marked) and the states they were just stored with, so the tick computes from the
 * object instead of reading and decoding the stored bytes again. A persistent store of marks cost a
 * sixth of the stream thread (puts, deletes and their changelog on every event); instead, a task
 * that starts (or restarts after a crash or an aborted transaction) rescans its subscribers once and
 * publishes every vector that differs from the last one published — exactly what lost marks would
 * have published. The store stays the truth: the states here are copies of what was just put,
 * emptied at every tick and whenever the task is (re)initialised.
 */
final class PendingSubscribers {

    private final Map<TaskId, Pending> byTask = new ConcurrentHashMap<>();

    /** The task's pending subscribers; only the task's stream thread touches them. */
    Pending of(TaskId task) {
        return byTask.computeIfAbsent(task, t -> new Pending());
    }

    static final class Pending {

        private final Map<String, Long> marked = new LinkedHashMap<>();
        private final Map<String, StreamedSubscriber> written = new HashMap<>();

        /** Remembers the state just stored and marks the subscriber (the first mark's time is kept). */
        void stored(StreamedSubscriber s, long markedAtMillis) {
            written.put(s.subscriberId(), s);
            marked.putIfAbsent(s.subscriberId(), markedAtMillis);
        }

        /** Remembers a state stored without a change to publish (the tick's own writes). */
        void storedQuietly(StreamedSubscriber s) {
            written.put(s.subscriberId(), s);
        }

        /** The state as just stored since the last tick, or null (then the store has it). */
        StreamedSubscriber written(String subscriberId) {
            return written.get(subscriberId);
        }

        void forget(String subscriberId) {
            written.remove(subscriberId);
            marked.remove(subscriberId);
        }

        /** The marks in the order they came, cleared. */
        List<Map.Entry<String, Long>> takeMarks() {
            List<Map.Entry<String, Long>> marks = new ArrayList<>(marked.entrySet());
            marked.clear();
            return marks;
        }

        void clearWritten() {
            written.clear();
        }

        void clear() {
            marked.clear();
            written.clear();
        }
    }
}
