package io.cohort.model.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps cluster ids stable across retrains, so a cluster segment defined on "cluster 2" still
 * means the same behaviour after the model is retrained. K-Means numbers its clusters arbitrarily;
 * here each new cluster takes the id of the nearest previous cluster, pairing the globally closest
 * pairs first (greedy matching, 1:1), measured between centroids in the new version's
 * standardised space. A pair further apart than {@link #MAX_MATCH_DISTANCE} is not the same
 * behaviour: such a new cluster gets an id no previous cluster used. HDBSCAN's noise group is not a
 * behaviour: it keeps {@link ClusterProfile#NOISE_ID} and is never matched, in either version.
 */
public final class StableClusterIds {

    /** In standard deviations (Euclidean over all features): beyond this, two centroids are different clusters. */
    public static final double MAX_MATCH_DISTANCE = 2.0;

    private StableClusterIds() {
    }

    /**
     * @param previous     the previous active version's clusters (empty for a first version)
     * @param fresh        the new version's clusters, ids as Tribuo numbered them
     * @param preprocessing the new version's preprocessing, which defines the distance
     * @return the new clusters with stable ids (and Tribuo's ids kept as {@code modelClusterId})
     */
    public static List<ClusterProfile> assign(List<ClusterProfile> previous, List<ClusterProfile> fresh,
            Preprocessing preprocessing) {
        previous = previous.stream().filter(c -> !c.isNoise()).toList();
        List<Pair> pairs = new ArrayList<>();
        for (int f = 0; f < fresh.size(); f++) {
            if (fresh.get(f).isNoise()) {
                continue;
            }
            double[] a = preprocessing.transform(fresh.get(f).centroid());
            for (int p = 0; p < previous.size(); p++) {
                double distance = Silhouette.distance(a, preprocessing.transform(previous.get(p).centroid()));
                if (distance <= MAX_MATCH_DISTANCE) {
                    pairs.add(new Pair(f, p, distance));
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::distance).thenComparingInt(Pair::fresh).thenComparingInt(Pair::previous));
        Integer[] stable = new Integer[fresh.size()];
        Set<Integer> usedPrevious = new HashSet<>();
        for (Pair pair : pairs) {
            if (stable[pair.fresh()] == null && usedPrevious.add(pair.previous())) {
                stable[pair.fresh()] = previous.get(pair.previous()).clusterId();
            }
        }
        // unmatched clusters: the smallest ids that no previous or matched cluster holds
        Set<Integer> taken = new TreeSet<>();
        previous.forEach(c -> taken.add(c.clusterId()));
        int next = 0;
        List<ClusterProfile> result = new ArrayList<>(fresh.size());
        for (int f = 0; f < fresh.size(); f++) {
            if (fresh.get(f).isNoise()) {
                result.add(fresh.get(f));
                continue;
            }
            if (stable[f] == null) {
                while (taken.contains(next)) {
                    next++;
                }
                stable[f] = next;
                taken.add(next);
            }
            result.add(fresh.get(f).withClusterId(stable[f]));
        }
        return result;
    }

    private record Pair(int fresh, int previous, double distance) {
    }
}
