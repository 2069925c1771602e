package io.cohort.segment.domain;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SubscriberView} held in memory by the read model, in a compact form: the names of the
 * features, labels and scores are arrays shared by every view with the same name set (one array for
 * a whole audience fed by one feature pipeline), the numbers are primitive arrays. A view of 60
 * features costs about 0.5 KB instead of about 3 KB as maps of boxed values with their own keys.
 * {@link #expand()} rebuilds the view for an explanation.
 */
public final class CompactView {

    private final String subscriberId;
    private final Long featureVersion;
    private final String[] featureNames;
    private final double[] featureValues;
    private final ScoreVersion scoreVersion;
    private final Integer clusterId;
    private final String clusterName;
    private final String[] labelNames;
    private final String[] labelValues;
    private final Instant featuresComputedAt;
    private final String[] scoreNames;
    private final double[] scoreValues;
    private final Map<String, List<String>> reasons;

    private CompactView(SubscriberView view, Names names) {
        this.subscriberId = view.subscriberId();
        this.featureVersion = view.featureVersion();
        this.featureNames = names.of(view.features().keySet());
        this.featureValues = values(featureNames, view.features());
        this.scoreVersion = view.scoreVersion();
        this.clusterId = view.clusterId();
        this.clusterName = names.value(view.clusterName());
        this.labelNames = names.of(view.labels().keySet());
        this.labelValues = new String[labelNames.length];
        for (int i = 0; i < labelNames.length; i++) {
            labelValues[i] = names.value(view.labels().get(labelNames[i]));
        }
        this.featuresComputedAt = view.featuresComputedAt();
        this.scoreNames = names.of(view.scores().keySet());
        this.scoreValues = values(scoreNames, view.scores());
        Map<String, List<String>> compactReasons = new HashMap<>();
        view.reasons().forEach((score, codes) -> compactReasons.put(names.value(score),
                codes.stream().map(names::value).toList()));
        this.reasons = compactReasons.isEmpty() ? Map.of() : Map.copyOf(compactReasons);
    }

    public static CompactView of(SubscriberView view, Names names) {
        return new CompactView(view, names);
    }

    public String subscriberId() {
        return subscriberId;
    }

    public Long featureVersion() {
        return featureVersion;
    }

    public ScoreVersion scoreVersion() {
        return scoreVersion;
    }

    /** The view as it was stored (call {@link SubscriberView#asOf} to age it). */
    public SubscriberView expand() {
        Map<String, Double> features = new HashMap<>(featureNames.length * 2);
        for (int i = 0; i < featureNames.length; i++) {
            features.put(featureNames[i], featureValues[i]);
        }
        Map<String, String> labels = new HashMap<>(labelNames.length * 2);
        for (int i = 0; i < labelNames.length; i++) {
            labels.put(labelNames[i], labelValues[i]);
        }
        Map<String, Double> scores = new HashMap<>(scoreNames.length * 2);
        for (int i = 0; i < scoreNames.length; i++) {
            scores.put(scoreNames[i], scoreValues[i]);
        }
        return new SubscriberView(subscriberId, featureVersion, features, scoreVersion, clusterId, clusterName, labels,
                featuresComputedAt, scores, reasons);
    }

    private static double[] values(String[] names, Map<String, Double> source) {
        double[] values = new double[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = source.get(names[i]);
        }
        return values;
    }

    /**
     * Shares name arrays and short strings (label values, cluster names, reason codes) between
     * views. Bounded: past {@code limit} distinct entries new ones are kept per view, not shared,
     * so unusual data costs memory per view instead of growing the pool without end.
     */
    public static final class Names {

        private final int limit;
        private final Map<List<String>, String[]> nameSets = new ConcurrentHashMap<>();
        private final Map<String, String> strings = new ConcurrentHashMap<>();

        public Names(int limit) {
            this.limit = limit;
        }

        String[] of(java.util.Set<String> names) {
            if (names.isEmpty()) {
                return EMPTY;
            }
            String[] sorted = names.toArray(String[]::new);
            Arrays.sort(sorted);
            List<String> key = Arrays.asList(sorted);
            String[] shared = nameSets.get(key);
            if (shared != null) {
                return shared;
            }
            for (int i = 0; i < sorted.length; i++) {
                sorted[i] = value(sorted[i]);
            }
            if (nameSets.size() >= limit) {
                return sorted;
            }
            String[] previous = nameSets.putIfAbsent(Arrays.asList(sorted), sorted);
            return previous == null ? sorted : previous;
        }

        String value(String value) {
            if (value == null) {
                return null;
            }
            String shared = strings.get(value);
            if (shared != null) {
                return shared;
            }
            if (strings.size() >= limit) {
                return value;
            }
            String previous = strings.putIfAbsent(value, value);
            return previous == null ? value : previous;
        }

        private static final String[] EMPTY = new String[0];
    }
}
