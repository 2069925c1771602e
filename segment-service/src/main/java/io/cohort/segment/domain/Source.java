package io.cohort.segment.domain;

import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.ScoreNames;

/**
 * Where a name in a condition is read from. Names share one namespace and never clash: labels
 * ({@link FeatureNames#LABELS}) are text, scores ({@link ScoreNames#ALL}) are model outputs,
 * {@value #CLUSTER} is the current cluster id, every other known name is a numeric feature.
 */
public enum Source {
    FEATURE, LABEL, SCORE, CLUSTER;

    /** The name of the subscriber's current cluster id in conditions. */
    public static final String CLUSTER_NAME = "cluster";

    public static Source of(String name) {
        if (FeatureNames.LABELS.contains(name)) {
            return LABEL;
        }
        if (ScoreNames.ALL.contains(name)) {
            return SCORE;
        }
        if (CLUSTER_NAME.equals(name)) {
            return CLUSTER;
        }
        return FEATURE;
    }

    /** Whether {@code name} can be used in a condition at all. */
    public static boolean isKnown(String name) {
        return FeatureNames.isKnownNumeric(name) || FeatureNames.LABELS.contains(name)
                || ScoreNames.ALL.contains(name) || CLUSTER_NAME.equals(name);
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
