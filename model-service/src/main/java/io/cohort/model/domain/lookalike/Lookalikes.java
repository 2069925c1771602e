package io.cohort.model.domain.lookalike;

import io.cohort.contracts.FeatureNames;
import io.cohort.model.domain.propensity.Standardiser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Lookalikes by k-nearest seeds in standardised feature space. Every numeric catalogue feature
 * that some subscriber has is imputed, log-transformed where skewed and z-scored over the whole
 * population ({@link Standardiser}); a non-member's similarity is 1 / (1 + mean Euclidean distance
 * to its {@code k} nearest seed members), so a candidate close to any dense part of the seed scores
 * high even when the seed has several modes (a single seed centroid would not). At most
 * {@link #MAX_SEEDS} seeds are used (a seeded sample beyond that).
 *
 * <p>Evaluation: a seeded {@value #HOLDOUT_SHARE} of the seeds is held out, lookalikes are found
 * from the rest, and recall is the share of held-out seeds among the top {@code targetSize}
 * non-members; random ranking would reach targetSize / candidates.
 */
public final class Lookalikes {

    public static final int DEFAULT_K = 5;
    public static final int MAX_SEEDS = 1000;
    public static final double HOLDOUT_SHARE = 0.2;

    public record Match(String subscriberId, double similarity) {
    }

    public record Evaluation(int heldOut, int targetSize, double recall, double randomRecall) {
    }

    public record Result(List<Match> matches, List<String> features, int seeds, int candidates, int k,
            Evaluation evaluation) {
    }

    private Lookalikes() {
    }

    public static Result find(Map<String, Map<String, Double>> population, Set<String> seedIds, int targetSize,
            long seed) {
        List<String> features = features(population);
        Standardiser standardiser = Standardiser.fit(List.copyOf(population.values()), features);
        Map<String, double[]> points = new LinkedHashMap<>();
        population.forEach((id, row) -> points.put(id, standardiser.transform(row)));
        List<String> seeds = seedIds.stream().filter(points::containsKey).sorted().toList();
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("none of the seed subscribers has features");
        }
        List<Match> matches = rank(points, seeds, Set.copyOf(seeds), targetSize, seed);
        Evaluation evaluation = evaluate(points, seeds, targetSize, seed);
        return new Result(matches, features, seeds.size(), points.size() - seeds.size(),
                Math.min(DEFAULT_K, seeds.size()), evaluation);
    }

    static List<String> features(Map<String, Map<String, Double>> population) {
        Set<String> seen = new HashSet<>();
        population.values().forEach(row -> seen.addAll(row.keySet()));
        return FeatureNames.ALL.stream().filter(seen::contains).toList();
    }

    /** Top {@code targetSize} non-members of {@code excluded}, most similar first (ties by id). */
    static List<Match> rank(Map<String, double[]> points, List<String> seeds, Set<String> excluded, int targetSize,
            long seed) {
        List<double[]> seedPoints = sample(seeds, seed).stream().map(points::get).toList();
        int k = Math.min(DEFAULT_K, seedPoints.size());
        List<Match> all = new ArrayList<>();
        double[] nearest = new double[k];
        for (Map.Entry<String, double[]> entry : points.entrySet()) {
            if (excluded.contains(entry.getKey())) {
                continue;
            }
            java.util.Arrays.fill(nearest, Double.POSITIVE_INFINITY);
            for (double[] s : seedPoints) {
                double d = distance(entry.getValue(), s);
                if (d < nearest[k - 1]) {
                    int i = k - 1;
                    while (i > 0 && nearest[i - 1] > d) {
                        nearest[i] = nearest[i - 1];
                        i--;
                    }
                    nearest[i] = d;
                }
            }
            double mean = 0;
            for (double d : nearest) {
                mean += d;
            }
            all.add(new Match(entry.getKey(), 1 / (1 + mean / k)));
        }
        all.sort(Comparator.comparingDouble(Match::similarity).reversed().thenComparing(Match::subscriberId));
        return List.copyOf(all.subList(0, Math.min(targetSize, all.size())));
    }

    static Evaluation evaluate(Map<String, double[]> points, List<String> seeds, int targetSize, long seed) {
        int heldOut = (int) Math.floor(seeds.size() * HOLDOUT_SHARE);
        if (heldOut < 1 || seeds.size() - heldOut < 1) {
            return null;
        }
        List<String> shuffled = new ArrayList<>(seeds);
        java.util.Collections.shuffle(shuffled, new Random(seed));
        Set<String> hidden = Set.copyOf(shuffled.subList(0, heldOut));
        List<String> kept = shuffled.subList(heldOut, shuffled.size());
        List<Match> found = rank(points, kept, Set.copyOf(kept), targetSize, seed);
        long hits = found.stream().filter(m -> hidden.contains(m.subscriberId())).count();
        int candidates = points.size() - kept.size();
        return new Evaluation(heldOut, targetSize, (double) hits / heldOut,
                Math.min(1.0, (double) targetSize / Math.max(1, candidates)));
    }

    private static List<String> sample(List<String> seeds, long seed) {
        if (seeds.size() <= MAX_SEEDS) {
            return seeds;
        }
        List<String> copy = new ArrayList<>(seeds);
        java.util.Collections.shuffle(copy, new Random(seed));
        return copy.subList(0, MAX_SEEDS);
    }

    private static double distance(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }
}
