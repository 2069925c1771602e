package io.cohort.segment.domain;

import java.util.Objects;

/**
 * What a user asked for: a rule segment carries a condition, a cluster segment a cluster id.
 * {@code holdoutPercent} (0 to {@link #MAX_HOLDOUT_PERCENT}) of the members are held out, see {@link Holdout}.
 */
public record SegmentDefinition(String name, SegmentKind kind, Condition condition, Integer clusterId,
        double holdoutPercent) {

    public static final double MAX_HOLDOUT_PERCENT = 50;

    public SegmentDefinition(String name, SegmentKind kind, Condition condition, Integer clusterId) {
        this(name, kind, condition, clusterId, 0);
    }

    public SegmentDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (!(holdoutPercent >= 0 && holdoutPercent <= MAX_HOLDOUT_PERCENT)) {
            throw new IllegalArgumentException("holdoutPercent must be from 0 to " + MAX_HOLDOUT_PERCENT);
        }
        if (kind == SegmentKind.RULE && (condition == null || clusterId != null)) {
            throw new IllegalArgumentException("a rule segment has a condition and no cluster id");
        }
        if (kind == SegmentKind.CLUSTER && (clusterId == null || condition != null)) {
            throw new IllegalArgumentException("a cluster segment has a cluster id and no condition");
        }
    }

    public SegmentDefinition withHoldoutPercent(double percent) {
        return new SegmentDefinition(name, kind, condition, clusterId, percent);
    }

    /** Whether this subscriber, once a member, is held out of sends. */
    public boolean holdsOut(java.util.UUID segmentId, String subscriberId) {
        return Holdout.isHeldOut(segmentId, subscriberId, holdoutPercent);
    }

    /** The canonical JSON form, as the API returns it and the history stores it. */
    public java.util.Map<String, Object> toJson() {
        java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("name", name);
        json.put("kind", kind.wireName());
        if (condition != null) {
            json.put("condition", condition.toJson());
        }
        if (clusterId != null) {
            json.put("clusterId", clusterId);
        }
        json.put("holdoutPercent", Condition.number(holdoutPercent));
        return json;
    }

    public static SegmentDefinition rule(String name, Condition condition) {
        return new SegmentDefinition(name, SegmentKind.RULE, condition, null);
    }

    public static SegmentDefinition cluster(String name, int clusterId) {
        return new SegmentDefinition(name, SegmentKind.CLUSTER, null, clusterId);
    }
}
