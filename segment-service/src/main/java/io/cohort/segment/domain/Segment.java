package io.cohort.segment.domain;

import java.time.Instant;
import java.util.UUID;

/** A stored segment definition. */
public record Segment(UUID id, int version, Instant createdAt, SegmentDefinition definition) {

    public String name() {
        return definition.name();
    }

    public SegmentKind kind() {
        return definition.kind();
    }
}
