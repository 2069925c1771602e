package io.cohort.segment.domain;

import io.cohort.contracts.FeatureNames;
import java.util.Map;

/**
 * Who must never be sent to: feature-service's {@code suppressed} = 1, and, defensively, each of its
 * causes on its own (unsubscribed, complained, hard-bounced = 1, or email consent = 0). A subscriber
 * without a feature vector is not suppressed here but has nothing to plan either.
 */
public final class Suppression {

    private Suppression() {
    }

    public static boolean isSuppressed(Map<String, Double> features) {
        return one(features, FeatureNames.SUPPRESSED) || one(features, FeatureNames.UNSUBSCRIBED)
                || one(features, FeatureNames.COMPLAINED) || one(features, FeatureNames.HARD_BOUNCED)
                || Double.valueOf(0.0).equals(features.get(FeatureNames.EMAIL_CONSENT));
    }

    private static boolean one(Map<String, Double> features, String name) {
        Double value = features.get(name);
        return value != null && value == 1.0;
    }
}
