package io.cohort.model.domain;

import io.cohort.contracts.FeatureNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gives clusters human-readable names from the features that most distinguish them from the whole
 * population: the largest |standardised centroid| values, each turned into a phrase ("Frequent
 * openers", "big spenders"), at most one per concept (opens, clicks, purchases, volume), joined
 * with " · ". Deterministic: the same centroids always give the
 * same names (ties break by feature order), and names are made unique across one model.
 */
public final class ClusterNamer {

    /** A feature must sit at least this many standard deviations from the population mean to name a cluster. */
    static final double DISTINCT = 0.5;
    static final int PHRASES = 2;
    static final String SEPARATOR = " · ";
    static final String AVERAGE = "Average subscribers";

    /** {@code none} replaces {@code low} when the members' mean is (about) zero: "non-buyers", not "low spenders". */
    private record Phrases(String high, String low, String none) {

        Phrases(String high, String low) {
            this(high, low, low);
        }
    }

    /**
     * Features that say the same thing about a subscriber: a name uses at most one of each, so a
     * cluster of non-buyers is not also called "low spenders".
     */
    private static final Map<String, String> CONCEPT = Map.of(
            FeatureNames.EMAILS_DELIVERED_30D, "volume",
            FeatureNames.EMAILS_OPENED_30D, "opens",
            FeatureNames.DAYS_SINCE_LAST_OPEN, "opens",
            FeatureNames.EMAILS_CLICKED_30D, "clicks",
            FeatureNames.ORDERS_90D, "purchases",
            FeatureNames.REVENUE_90D, "purchases");

    private static final Map<String, Phrases> PHRASEBOOK = Map.of(
            FeatureNames.EMAILS_DELIVERED_30D, new Phrases("Heavily mailed", "Lightly mailed", "Not mailed"),
            FeatureNames.EMAILS_OPENED_30D, new Phrases("Frequent openers", "Rare openers", "Non-openers"),
            FeatureNames.EMAILS_CLICKED_30D, new Phrases("Frequent clickers", "Rare clickers", "Non-clickers"),
            FeatureNames.DAYS_SINCE_LAST_OPEN, new Phrases("Dormant", "Recently active"),
            FeatureNames.ORDERS_90D, new Phrases("Frequent buyers", "Occasional buyers", "Non-buyers"),
            FeatureNames.REVENUE_90D, new Phrases("Big spenders", "Low spenders", "Non-buyers"));
    private static final double ABOUT_ZERO = 0.05;

    private final List<String> features;

    /** @param features the order of the values in every centroid passed in */
    public ClusterNamer(List<String> features) {
        this.features = List.copyOf(features);
    }

    /**
     * Names every cluster. {@code standardised} holds each cluster's centroid in z-scores (distance
     * from the population mean), {@code raw} the same centroid in original units (used to say
     * "never opened" when most members never opened).
     */
    public Map<Integer, String> nameAll(Map<Integer, double[]> standardised, Map<Integer, double[]> raw) {
        Map<Integer, List<String>> phrases = new TreeMap<>();
        standardised.forEach((cluster, z) -> phrases.put(cluster, phrases(z, raw.get(cluster))));
        Map<Integer, Integer> used = new HashMap<>();
        phrases.keySet().forEach(cluster -> used.put(cluster, Math.min(PHRASES, phrases.get(cluster).size())));

        // lengthen names that collide with another cluster's, then fall back to the cluster id
        for (int round = 0; round < features.size(); round++) {
            Map<String, List<Integer>> byName = new LinkedHashMap<>();
            phrases.forEach((cluster, p) -> byName.computeIfAbsent(join(p, used.get(cluster)), n -> new ArrayList<>())
                    .add(cluster));
            boolean lengthened = false;
            for (List<Integer> clash : byName.values()) {
                if (clash.size() > 1) {
                    for (int cluster : clash) {
                        if (used.get(cluster) < phrases.get(cluster).size()) {
                            used.merge(cluster, 1, Integer::sum);
                            lengthened = true;
                        }
                    }
                }
            }
            if (!lengthened) {
                break;
            }
        }
        Map<String, Integer> counts = new HashMap<>();
        phrases.forEach((cluster, p) -> counts.merge(join(p, used.get(cluster)), 1, Integer::sum));
        Map<Integer, String> names = new TreeMap<>();
        phrases.forEach((cluster, p) -> {
            String name = join(p, used.get(cluster));
            names.put(cluster, counts.get(name) > 1 ? name + " #" + cluster : name);
        });
        return names;
    }

    /** The name of one cluster on its own (no uniqueness across clusters). */
    public String name(double[] standardised, double[] raw) {
        List<String> phrases = phrases(standardised, raw);
        return join(phrases, Math.min(PHRASES, phrases.size()));
    }

    /** Every distinguishing phrase for a centroid, most distinguishing first. */
    List<String> phrases(double[] z, double[] raw) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            if (Math.abs(z[i]) >= DISTINCT) {
                order.add(i);
            }
        }
        order.sort(Comparator.<Integer>comparingDouble(i -> -Math.abs(z[i])).thenComparingInt(i -> i));
        List<String> phrases = new ArrayList<>();
        java.util.Set<String> concepts = new java.util.HashSet<>();
        for (int i : order) {
            String feature = features.get(i);
            if (!concepts.add(CONCEPT.getOrDefault(feature, feature))) {
                continue;
            }
            Phrases book = PHRASEBOOK.getOrDefault(feature,
                    new Phrases("High " + feature.replace('_', ' '), "Low " + feature.replace('_', ' ')));
            boolean high = z[i] > 0;
            boolean none = raw != null && Math.abs(raw[i]) < ABOUT_ZERO;
            phrases.add(high ? book.high() : none ? book.none() : book.low());
            if (high && FeatureNames.DAYS_SINCE_LAST_OPEN.equals(feature) && raw != null
                    && raw[i] >= 0.9 * Preprocessing.NEVER_OPENED_DAYS) {
                // the imputed "never opened" value dominates this centroid: say so
                phrases.add("Never opened");
            }
        }
        return phrases;
    }

    private static String join(List<String> phrases, int count) {
        if (count == 0) {
            return AVERAGE;
        }
        StringBuilder name = new StringBuilder(phrases.get(0));
        for (int i = 1; i < count; i++) {
            String next = phrases.get(i);
            name.append(SEPARATOR).append(Character.toLowerCase(next.charAt(0))).append(next.substring(1));
        }
        return name.toString();
    }
}
