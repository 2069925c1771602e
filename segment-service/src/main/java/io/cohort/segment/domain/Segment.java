package io.cohort.segment.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored segment definition; an archived segment is no longer evaluated and has no members.
 * {@code cutoff} is the score threshold in force for a top-N% predictive segment (null otherwise,
 * or while nobody is scored).
 */
public record Segment(UUID id, int version, Instant createdAt, SegmentDefinition definition, boolean archived,
        Double cutoff) {

    public Segment(UUID id, int version, Instant createdAt, SegmentDefinition definition) {
        this(id, version, createdAt, definition, false, null);
    }

    public Segment(UUID id, int version, Instant createdAt, SegmentDefinition definition, boolean archived) {
        this(id, version, createdAt, definition, archived, null);
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
        return new Segment(id, newVersion, createdAt, newDefinition, archived, null);
    }

    public Segment withCutoff(Double newCutoff) {
        return new Segment(id, version, createdAt, definition, archived, newCutoff);
    }
}
