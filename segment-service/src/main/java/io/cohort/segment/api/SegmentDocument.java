package io.cohort.segment.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cohort.segment.domain.Segment;
import java.time.Instant;
import java.util.List;

/**
 * A segment as the API shows it: rule segments carry {@code condition}, cluster segments
 * {@code clusterId}, predictive segments {@code score} with {@code threshold} or {@code topPercent}
 * (and {@code cutoff}, the threshold in force for top N%), lookalike segments {@code seedSegmentId} and
 * {@code targetSize}; {@code actions} when set; {@code status}
 * is active or archived. {@code warnings} appear only in the responses of create and update, and
 * only when there is something to warn about; {@code backfillJobId} only in the 202 answer of an
 * asynchronous create or edit.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SegmentDocument(String id, String name, String kind, int version, Object condition, Integer clusterId,
        Instant createdAt, String status, Number holdoutPercent, List<String> warnings, String score, Number threshold,
        Number topPercent, Double cutoff, Object actions, String template, String seedSegmentId, Integer targetSize,
        String backfillJobId) {

    /** The answer of an asynchronous create or edit: the segment and the id of its running backfill job. */
    SegmentDocument withBackfillJob(String jobId) {
        return new SegmentDocument(id, name, kind, version, condition, clusterId, createdAt, status, holdoutPercent,
                warnings, score, threshold, topPercent, cutoff, actions, template, seedSegmentId, targetSize, jobId);
    }

    static SegmentDocument of(Segment segment) {
        return of(segment, null);
    }

    static SegmentDocument of(Segment segment, List<String> warnings) {
        return of(segment, warnings, null);
    }

    static SegmentDocument of(Segment segment, List<String> warnings, String template) {
        var definition = segment.definition();
        var json = definition.toJson();
        var predictive = definition.predictive();
        return new SegmentDocument(segment.id().toString(), definition.name(), definition.kind().wireName(),
                segment.version(), json.get("condition"), definition.clusterId(), segment.createdAt(),
                segment.status(), (Number) json.get("holdoutPercent"),
                warnings == null || warnings.isEmpty() ? null : List.copyOf(warnings),
                predictive == null ? null : predictive.score(), (Number) json.get("threshold"),
                (Number) json.get("topPercent"), predictive != null && predictive.isTopPercent() ? segment.cutoff() : null,
                json.get("actions"), template,
                definition.lookalike() == null ? null : definition.lookalike().seedSegmentId().toString(),
                definition.lookalike() == null ? null : definition.lookalike().targetSize(), null);
    }
}
