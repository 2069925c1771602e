package io.cohort.segment.domain;

import java.time.Instant;

/**
 * Orders scores records of one subscriber. A record is newer when it was computed from a newer
 * feature vector, or from the same vector later, or by a higher clustering model version (a newly
 * activated model re-scores subscribers whose features did not change).
 */
public record ScoreVersion(long featureVersion, Instant scoredAt, Integer clusterModelVersion) {

    /** True when this record should replace {@code stored}; a null {@code stored} means none applied yet. */
    public boolean isNewerThan(ScoreVersion stored) {
        if (stored == null) {
            return true;
        }
        if (featureVersion != stored.featureVersion) {
            return featureVersion > stored.featureVersion || newerClusterModel(stored);
        }
        if (scoredAt != null && (stored.scoredAt == null || scoredAt.isAfter(stored.scoredAt))) {
            return true;
        }
        return newerClusterModel(stored);
    }

    private boolean newerClusterModel(ScoreVersion stored) {
        return clusterModelVersion != null
                && (stored.clusterModelVersion == null || clusterModelVersion > stored.clusterModelVersion);
    }
}
