package io.cohort.segment.domain;

import java.util.Objects;

/**
 * What a user asked for: a rule segment carries a condition, a cluster segment a cluster id.
 */
public record SegmentDefinition(String name, SegmentKind kind, Condition condition, Integer clusterId) {

    public SegmentDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (kind == SegmentKind.RULE && (condition == null || clusterId != null)) {
            throw new IllegalArgumentException("a rule segment has a condition and no cluster id");
        }
        if (kind == SegmentKind.CLUSTER && (clusterId == null || condition != null)) {
            throw new IllegalArgumentException("a cluster segment has a cluster id and no condition");
        }
    }

    public static SegmentDefinition rule(String name, Condition condition) {
        return new SegmentDefinition(name, SegmentKind.RULE, condition, null);
    }

    public static SegmentDefinition cluster(String name, int clusterId) {
        return new SegmentDefinition(name, SegmentKind.CLUSTER, null, clusterId);
    }
}
