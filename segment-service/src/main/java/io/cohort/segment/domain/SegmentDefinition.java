package io.cohort.segment.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What a user asked for: a rule segment carries a condition, a cluster segment a cluster id, a
 * predictive segment a score test ({@link Predictive}) and optionally a condition as well.
 * {@code holdoutPercent} (0 to {@link #MAX_HOLDOUT_PERCENT}) of the members are held out, see {@link Holdout};
 * {@code actions} (optional) say what members are sent, see {@link Actions}.
 */
public record SegmentDefinition(String name, SegmentKind kind, Condition condition, Integer clusterId,
        double holdoutPercent, Predictive predictive, Actions actions, Lookalike lookalike) {

    public SegmentDefinition(String name, SegmentKind kind, Condition condition, Integer clusterId,
            double holdoutPercent, Predictive predictive, Actions actions) {
        this(name, kind, condition, clusterId, holdoutPercent, predictive, actions, null);
    }

    public static final double MAX_HOLDOUT_PERCENT = 50;

    public SegmentDefinition(String name, SegmentKind kind, Condition condition, Integer clusterId) {
        this(name, kind, condition, clusterId, 0);
    }

    public SegmentDefinition(String name, SegmentKind kind, Condition condition, Integer clusterId,
            double holdoutPercent) {
        this(name, kind, condition, clusterId, holdoutPercent, null, null);
    }

    public SegmentDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (!(holdoutPercent >= 0 && holdoutPercent <= MAX_HOLDOUT_PERCENT)) {
            throw new IllegalArgumentException("holdoutPercent must be from 0 to " + MAX_HOLDOUT_PERCENT);
        }
        if (kind == SegmentKind.RULE && (condition == null || clusterId != null || predictive != null)) {
            throw new IllegalArgumentException("a rule segment has a condition and no cluster id");
        }
        if (kind == SegmentKind.CLUSTER && (clusterId == null || condition != null || predictive != null)) {
            throw new IllegalArgumentException("a cluster segment has a cluster id and no condition");
        }
        if (kind == SegmentKind.PREDICTIVE && (predictive == null || clusterId != null || lookalike != null)) {
            throw new IllegalArgumentException("a predictive segment has a score test and no cluster id");
        }
        if (kind == SegmentKind.LOOKALIKE && (lookalike == null || clusterId != null || predictive != null)) {
            throw new IllegalArgumentException("a lookalike segment has a seed and target size, no cluster id or score");
        }
        if (kind != SegmentKind.LOOKALIKE && lookalike != null) {
            throw new IllegalArgumentException("only a lookalike segment has a seed");
        }
    }

    public SegmentDefinition withHoldoutPercent(double percent) {
        return new SegmentDefinition(name, kind, condition, clusterId, percent, predictive, actions, lookalike);
    }

    public SegmentDefinition withActions(Actions newActions) {
        return new SegmentDefinition(name, kind, condition, clusterId, holdoutPercent, predictive, newActions, lookalike);
    }

    /** Whether this subscriber, once a member, is held out of sends. */
    public boolean holdsOut(UUID segmentId, String subscriberId) {
        return Holdout.isHeldOut(segmentId, subscriberId, holdoutPercent);
    }

    /** The canonical JSON form, as the API returns it and the history stores it. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("kind", kind.wireName());
        if (condition != null) {
            json.put("condition", condition.toJson());
        }
        if (clusterId != null) {
            json.put("clusterId", clusterId);
        }
        if (predictive != null) {
            json.putAll(predictive.toJson());
        }
        if (lookalike != null) {
            json.putAll(lookalike.toJson());
        }
        json.put("holdoutPercent", Condition.number(holdoutPercent));
        if (actions != null) {
            json.put("actions", actions.toJson());
        }
        return json;
    }

    public static SegmentDefinition rule(String name, Condition condition) {
        return new SegmentDefinition(name, SegmentKind.RULE, condition, null);
    }

    public static SegmentDefinition cluster(String name, int clusterId) {
        return new SegmentDefinition(name, SegmentKind.CLUSTER, null, clusterId);
    }

    public static SegmentDefinition predictive(String name, Predictive predictive, Condition condition) {
        return new SegmentDefinition(name, SegmentKind.PREDICTIVE, condition, null, 0, predictive, null);
    }
}
