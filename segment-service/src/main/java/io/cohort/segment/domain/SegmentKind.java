package io.cohort.segment.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How membership of a segment is decided. */
public enum SegmentKind {
    /** A condition tree over features. */
    RULE,
    /** The subscriber's current cluster assignment. */
    CLUSTER,
    /** A score of model-service at or above a threshold, or in the top N%; optionally with a condition. */
    PREDICTIVE,
    /**
     * The subscribers most similar to a seed segment's members, as model-service's lookalike model
     * ranks them ({@link Lookalike}); optionally with a condition. Recomputed on create, edit and
     * every sweep, not on each view change.
     */
    LOOKALIKE;

    public static final String CHOICES = "rule, cluster, predictive, lookalike";

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SegmentKind> fromWire(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName().equals(name)).findFirst();
    }
}
