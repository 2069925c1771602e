package io.cohort.segment.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * How far the streams engine's backfill of a segment version has got: every active task (of this
 * instance, and of the others asked through {@code GET /v1/segments/{id}/backfill} marked forwarded)
 * must have finished a rescan that evaluated its views against that version or a later one. A task
 * that has not reported yet (just started or moved here) counts as not done. The entered/exited
 * counts are those of the tasks now active: a task that moved to another instance starts counting
 * again there (its rescan after the move finds the memberships in place, so it adds nothing).
 */
@ApplicationScoped
public class BackfillProgress {

    private final Instance<KafkaStreams> streams;
    private final StreamsObserver observer;
    private final StreamsLookup lookup;
    private final ObjectMapper json;

    public BackfillProgress(Instance<KafkaStreams> streams, StreamsObserver observer, StreamsLookup lookup,
            ObjectMapper json) {
        this.streams = streams;
        this.observer = observer;
        this.lookup = lookup;
        this.json = json;
    }

    /**
     * Views evaluated against the version so far, of how many, whether every task is done, and the
     * entered/exited transitions the tasks' rescans produced for that version.
     */
    public record Progress(long processed, long total, boolean complete, long entered, long exited) {

        Progress plus(Progress other) {
            return new Progress(processed + other.processed, total + other.total, complete && other.complete,
                    entered + other.entered, exited + other.exited);
        }
    }

    /** This instance's tasks only. */
    public Progress local(UUID segmentId, int version) {
        KafkaStreams kafkaStreams = streams.isResolvable() ? streams.get() : null;
        if (kafkaStreams == null || kafkaStreams.state() != KafkaStreams.State.RUNNING) {
            throw new StreamsUnavailableException("stream processing is not running");
        }
        Map<String, TaskRescan> reported = observer.rescans();
        Progress sum = new Progress(0, 0, true, 0, 0);
        for (ThreadMetadata thread : kafkaStreams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                TaskRescan rescan = reported.get(task.taskId().toString());
                if (rescan == null) {
                    sum = sum.plus(new Progress(0, 0, false, 0, 0));
                    continue;
                }
                long[] progress = rescan.progress(segmentId, version);
                TaskRescan.Transitions transitions = rescan.transitionsOf(segmentId, version);
                sum = sum.plus(new Progress(progress[0], progress[1], rescan.covers(segmentId, version),
                        transitions.entered(), transitions.exited()));
            }
        }
        return sum;
    }

    /** Every instance's tasks; unavailable when any instance does not answer. */
    public Progress everywhere(UUID segmentId, int version) {
        Progress sum = local(segmentId, version);
        for (StreamsLookup.Remote other : lookup.others()) {
            JsonNode job;
            try {
                job = json.readTree(lookup.ask(other, "/v1/segments/" + segmentId + "/backfill"));
            } catch (IOException e) {
                throw new StreamsUnavailableException("another instance's progress could not be read");
            }
            sum = sum.plus(new Progress(job.path("processed").asLong(), job.path("total").asLong(),
                    "completed".equals(job.path("status").asText()), job.path("entered").asLong(),
                    job.path("exited").asLong()));
        }
        return sum;
    }
}
