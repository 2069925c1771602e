package io.cohort.segment.domain;

import java.time.Instant;
import java.util.UUID;

/** A stored segment definition; an archived segment is no longer evaluated and has no members. */
public record Segment(UUID id, int version, Instant createdAt, SegmentDefinition definition, boolean archived) {

    public Segment(UUID id, int version, Instant createdAt, SegmentDefinition definition) {
        this(id, version, createdAt, definition, false);
    }

    public String name() {
        return definition.name();
    }

    public SegmentKind kind() {
        return definition.kind();
    }

    public String status() {
        return archived ? "archived" : "active";
    }

    public Segment withDefinition(int newVersion, SegmentDefinition newDefinition) {
        return new Segment(id, newVersion, createdAt, newDefinition, archived);
    }
}
