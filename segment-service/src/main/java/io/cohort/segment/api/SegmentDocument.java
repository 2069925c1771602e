package io.cohort.segment.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cohort.segment.domain.Segment;
import java.time.Instant;
import java.util.List;

/**
 * A segment as the API shows it: rule segments carry {@code condition}, cluster segments
 * {@code clusterId}; {@code status} is active or archived. {@code warnings} appear only in the
 * responses of create and update, and only when there is something to warn about.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SegmentDocument(String id, String name, String kind, int version, Object condition, Integer clusterId,
        Instant createdAt, String status, Number holdoutPercent, List<String> warnings) {

    static SegmentDocument of(Segment segment) {
        return of(segment, null);
    }

    static SegmentDocument of(Segment segment, List<String> warnings) {
        var definition = segment.definition();
        var json = definition.toJson();
        return new SegmentDocument(segment.id().toString(), definition.name(), definition.kind().wireName(),
                segment.version(), json.get("condition"), definition.clusterId(), segment.createdAt(),
                segment.status(), (Number) json.get("holdoutPercent"),
                warnings == null || warnings.isEmpty() ? null : List.copyOf(warnings));
    }
}
