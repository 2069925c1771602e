package io.cohort.model.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.clustering.kmeans.KMeansTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains the behavioural clustering: preprocess (impute, log1p, standardise), K-Means++ with a
 * fixed seed and Euclidean distance, then profile and name the clusters.
 *
 * <p>When no k is requested, every k in {@value #AUTO_MIN_K}..{@value #AUTO_MAX_K} (bounded so
 * each cluster could hold two rows) is trained and the one with the best mean silhouette wins;
 * ties go to the smaller k, the simpler segmentation. The silhouette rewards compact, well-separated
 * clusters without needing labels, and unlike inertia it does not always improve with more k.
 */
public final class ClusteringTrainer {

    public static final int MIN_K = 2;
    public static final int MAX_K = 20;
    public static final int AUTO_MIN_K = 4;
    public static final int AUTO_MAX_K = 12;
    public static final int MIN_ROWS = 10;
    public static final int ITERATIONS = 100;
    public static final long DEFAULT_SEED = 42L;
    /** The silhouette is quadratic in rows; above this many it is estimated on a seeded sample. */
    public static final int SILHOUETTE_SAMPLE = 2000;

    private static final ClusteringFactory FACTORY = new ClusteringFactory();

    /** The fewest training rows for a k (or for the smallest automatic k when none is requested). */
    public static int requiredRows(Integer k) {
        return Math.max(MIN_ROWS, 2 * (k == null ? AUTO_MIN_K : k));
    }

    /** Picks the k with the highest silhouette; ties go to the smaller k. */
    public static int bestK(Map<Integer, Double> silhouetteByK) {
        if (silhouetteByK.isEmpty()) {
            throw new IllegalArgumentException("no k was tried");
        }
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Map.Entry<Integer, Double> entry : new TreeMap<>(silhouetteByK).entrySet()) {
            if (entry.getValue() > bestScore) {
                best = entry.getKey();
                bestScore = entry.getValue();
            }
        }
        return best;
    }

    /**
     * Trains on {@code rows} (one feature map per subscriber).
     *
     * @param requestedK clusters, or null to choose by silhouette
     * @throws IllegalArgumentException when there are fewer than {@link #requiredRows(Integer)} rows
     */
    public TrainingOutcome train(List<Map<String, Double>> rows, Integer requestedK, long seed) {
        if (requestedK != null && (requestedK < MIN_K || requestedK > MAX_K)) {
            throw new IllegalArgumentException("k must be between " + MIN_K + " and " + MAX_K);
        }
        if (rows.size() < requiredRows(requestedK)) {
            throw new IllegalArgumentException("need at least " + requiredRows(requestedK) + " rows");
        }
        Preprocessing preprocessing = Preprocessing.fit(rows);
        double[][] points = rows.stream().map(preprocessing::transform).toArray(double[][]::new);
        String[] names = preprocessing.features().toArray(String[]::new);

        List<Integer> candidates = new ArrayList<>();
        if (requestedK != null) {
            candidates.add(requestedK);
        } else {
            for (int k = AUTO_MIN_K; k <= Math.min(AUTO_MAX_K, rows.size() / 2); k++) {
                candidates.add(k);
            }
        }
        Map<Integer, Double> silhouetteByK = new TreeMap<>();
        Map<Integer, Model<ClusterID>> models = new TreeMap<>();
        Map<Integer, int[]> labelsByK = new TreeMap<>();
        for (int k : candidates) {
            Model<ClusterID> model = fit(points, names, k, seed);
            int[] labels = predict(model, points, names);
            models.put(k, model);
            labelsByK.put(k, labels);
            silhouetteByK.put(k, Silhouette.sampledMean(points, labels, SILHOUETTE_SAMPLE, seed));
        }
        int k = requestedK != null ? requestedK : bestK(silhouetteByK);
        int[] labels = labelsByK.get(k);

        List<ClusterProfile> clusters = profile(rows, preprocessing, points, labels);
        ClusteringMetrics metrics = new ClusteringMetrics(k, silhouetteByK.get(k), inertia(points, labels),
                rows.size(), requestedK == null ? silhouetteByK : null);
        Hyperparameters hyperparameters = new Hyperparameters(k, requestedK == null ? "silhouette" : "requested",
                requestedK == null ? AUTO_MIN_K : k, requestedK == null ? AUTO_MAX_K : k, seed, ITERATIONS,
                KMeansTrainer.Initialisation.PLUSPLUS.name(), "euclidean");
        return new TrainingOutcome(models.get(k), preprocessing, hyperparameters, metrics, clusters);
    }

    static Model<ClusterID> fit(double[][] points, String[] names, int k, long seed) {
        MutableDataset<ClusterID> dataset = new MutableDataset<>(
                new SimpleDataSourceProvenance("cohort feature snapshots", FACTORY), FACTORY);
        for (double[] point : points) {
            dataset.add(new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, names, point));
        }
        // one thread: the machine is small, the data is small, and the result must not depend on scheduling
        KMeansTrainer trainer = new KMeansTrainer(k, ITERATIONS, new L2Distance(),
                KMeansTrainer.Initialisation.PLUSPLUS, 1, seed);
        return trainer.train(dataset);
    }

    static int[] predict(Model<ClusterID> model, double[][] points, String[] names) {
        int[] labels = new int[points.length];
        for (int i = 0; i < points.length; i++) {
            labels[i] = model.predict(new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, names, points[i]))
                    .getOutput().getID();
        }
        return labels;
    }

    /** Sum of squared distances of each point to the mean of its cluster. */
    static double inertia(double[][] points, int[] labels) {
        Map<Integer, double[]> centroids = means(points, labels);
        double inertia = 0.0;
        for (int i = 0; i < points.length; i++) {
            double distance = Silhouette.distance(points[i], centroids.get(labels[i]));
            inertia += distance * distance;
        }
        return inertia;
    }

    private static List<ClusterProfile> profile(List<Map<String, Double>> rows, Preprocessing preprocessing,
            double[][] points, int[] labels) {
        double[][] raw = rows.stream().map(preprocessing::raw).toArray(double[][]::new);
        Map<Integer, double[]> rawCentroids = means(raw, labels);
        Map<Integer, double[]> standardisedCentroids = means(points, labels);
        double[] populationRaw = means(raw, new int[raw.length]).get(0);
        Map<Integer, String> names = new ClusterNamer(preprocessing.features())
                .nameAll(standardisedCentroids, rawCentroids);
        Map<Integer, Integer> sizes = new TreeMap<>();
        for (int label : labels) {
            sizes.merge(label, 1, Integer::sum);
        }
        List<ClusterProfile> profiles = new ArrayList<>();
        sizes.forEach((cluster, size) -> {
            Map<String, Double> centroid = new LinkedHashMap<>();
            double[] values = rawCentroids.get(cluster);
            for (int i = 0; i < values.length; i++) {
                centroid.put(preprocessing.features().get(i), values[i]);
            }
            profiles.add(new ClusterProfile(cluster, names.get(cluster), size, (double) size / rows.size(), centroid,
                    cluster, distinguishing(preprocessing.features(), values, populationRaw,
                            standardisedCentroids.get(cluster), ClusterProfile.DISTINGUISHING_FEATURES)));
        });
        return profiles;
    }

    /**
     * The {@code top} features whose cluster mean lies furthest from the population mean in the
     * standardised space (largest |z| first, ties in feature order). {@code z} is the members' mean of
     * the standardised rows; the population's mean there is 0 by construction, so {@code z} is the
     * standardised difference itself.
     */
    static List<DistinguishingFeature> distinguishing(List<String> features, double[] clusterRaw,
            double[] populationRaw, double[] z, int top) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            order.add(i);
        }
        order.sort(java.util.Comparator.<Integer>comparingDouble(i -> -Math.abs(z[i])).thenComparingInt(i -> i));
        List<DistinguishingFeature> result = new ArrayList<>();
        for (int i : order.subList(0, Math.min(top, order.size()))) {
            result.add(new DistinguishingFeature(features.get(i), clusterRaw[i], populationRaw[i], z[i]));
        }
        return result;
    }

    private static Map<Integer, double[]> means(double[][] points, int[] labels) {
        Map<Integer, double[]> sums = new TreeMap<>();
        Map<Integer, Integer> counts = new TreeMap<>();
        for (int i = 0; i < points.length; i++) {
            double[] sum = sums.computeIfAbsent(labels[i], l -> new double[points[0].length]);
            for (int j = 0; j < sum.length; j++) {
                sum[j] += points[i][j];
            }
            counts.merge(labels[i], 1, Integer::sum);
        }
        sums.forEach((label, sum) -> {
            for (int j = 0; j < sum.length; j++) {
                sum[j] /= counts.get(label);
            }
        });
        return sums;
    }
}
