package io.cohort.model.domain;

import java.util.List;

/** The model families this service knows; each has its own version line in the registry. */
public final class ModelFamilies {

    /** K-Means over standardised behavioural features; publishes a cluster per subscriber. */
    public static final String CLUSTERING_BEHAVIOURAL = "clustering.behavioural";

    public static final List<String> ALL = List.of(CLUSTERING_BEHAVIOURAL);

    private ModelFamilies() {
    }

    public static boolean isKnown(String family) {
        return ALL.contains(family);
    }
}
