package io.cohort.segment.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cohort.segment.domain.Segment;
import java.time.Instant;

/** A segment as the API shows it: rule segments carry {@code condition}, cluster segments {@code clusterId}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SegmentDocument(String id, String name, String kind, int version, Object condition, Integer clusterId,
        Instant createdAt) {

    static SegmentDocument of(Segment segment) {
        var definition = segment.definition();
        return new SegmentDocument(segment.id().toString(), definition.name(), definition.kind().wireName(),
                segment.version(), definition.condition() == null ? null : definition.condition().toJson(),
                definition.clusterId(), segment.createdAt());
    }
}
