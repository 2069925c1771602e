package io.cohort.segment.domain;

import io.cohort.contracts.FeatureNames;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What segment-service knows about one subscriber: the newest feature vector (numbers, labels and
 * when it was computed) and the newest scores (cluster assignment, named scores and their reason
 * codes) it has applied. Either half may still be missing.
 */
public record SubscriberView(
        String subscriberId,
        Long featureVersion,
        Map<String, Double> features,
        ScoreVersion scoreVersion,
        Integer clusterId,
        String clusterName,
        Map<String, String> labels,
        Instant featuresComputedAt,
        Map<String, Double> scores,
        Map<String, List<String>> reasons) implements Facts {

    /**
     * "Days since" features grow by one every day nothing new happens: when read later than they
     * were computed, the UTC midnights passed since are added (see {@link #asOf}).
     */
    public static final Set<String> AGEING_FEATURES = Set.of(FeatureNames.DAYS_SINCE_LAST_OPEN,
            FeatureNames.DAYS_SINCE_LAST_CLICK, FeatureNames.DAYS_SINCE_LAST_ORDER, FeatureNames.RFM_RECENCY_DAYS,
            FeatureNames.TENURE_DAYS);

    public SubscriberView {
        features = features == null ? Map.of() : Map.copyOf(features);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        scores = scores == null ? Map.of() : Map.copyOf(scores);
        reasons = reasons == null ? Map.of() : Map.copyOf(reasons);
    }

    public SubscriberView(String subscriberId, Long featureVersion, Map<String, Double> features,
            ScoreVersion scoreVersion, Integer clusterId, String clusterName) {
        this(subscriberId, featureVersion, features, scoreVersion, clusterId, clusterName, null, null, null, null);
    }

    public static SubscriberView empty(String subscriberId) {
        return new SubscriberView(subscriberId, null, Map.of(), null, null, null);
    }

    public SubscriberView withFeatures(long version, Map<String, Double> newFeatures) {
        return withFeatures(version, newFeatures, Map.of(), null);
    }

    public SubscriberView withFeatures(long version, Map<String, Double> newFeatures, Map<String, String> newLabels,
            Instant computedAt) {
        return new SubscriberView(subscriberId, version, newFeatures, scoreVersion, clusterId, clusterName,
                newLabels, computedAt, scores, reasons);
    }

    public SubscriberView withScores(ScoreVersion version, Integer newClusterId, String newClusterName) {
        return withScores(version, newClusterId, newClusterName, scores, reasons);
    }

    public SubscriberView withScores(ScoreVersion version, Integer newClusterId, String newClusterName,
            Map<String, Double> newScores, Map<String, List<String>> newReasons) {
        return new SubscriberView(subscriberId, featureVersion, features, version, newClusterId, newClusterName,
                labels, featuresComputedAt, newScores, newReasons);
    }

    /** Whether a feature vector with this version would replace what the view holds. */
    public boolean acceptsFeatureVersion(long version) {
        return featureVersion == null || version > featureVersion;
    }

    /**
     * The view as it reads at {@code now}: each of {@link #AGEING_FEATURES} plus the UTC calendar days
     * from the day the vector was computed to {@code now}'s day (never negative; unchanged without a computation time).
     */
    public SubscriberView asOf(Instant now) {
        if (featuresComputedAt == null || now == null || !now.isAfter(featuresComputedAt)) {
            return this;
        }
        // feature-service counts these in UTC calendar days, so they age at UTC midnight
        long days = java.time.temporal.ChronoUnit.DAYS.between(
                java.time.LocalDate.ofInstant(featuresComputedAt, java.time.ZoneOffset.UTC),
                java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC));
        if (days == 0) {
            return this;
        }
        Map<String, Double> aged = new HashMap<>(features);
        for (String name : AGEING_FEATURES) {
            aged.computeIfPresent(name, (n, v) -> v + days);
        }
        return new SubscriberView(subscriberId, featureVersion, aged, scoreVersion, clusterId, clusterName, labels,
                featuresComputedAt, scores, reasons);
    }

    /** suppressed = 1, or any of unsubscribed, complained, hard_bounced = 1, or email_consent = 0. */
    public boolean suppressed() {
        return Suppression.isSuppressed(features);
    }

    @Override
    public Object value(String name) {
        return switch (Source.of(name)) {
            case LABEL -> labels.get(name);
            case SCORE -> scores.get(name);
            case CLUSTER -> clusterId == null ? null : clusterId.doubleValue();
            case FEATURE -> features.get(name);
        };
    }

    @Override
    public List<String> reasons(String score) {
        return reasons.getOrDefault(score, List.of());
    }
}
