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
import org.tribuo.clustering.hdbscan.HdbscanModel;
import org.tribuo.clustering.hdbscan.HdbscanTrainer;
import org.tribuo.clustering.kmeans.KMeansTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.math.neighbour.NeighboursQueryFactoryType;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains the behavioural clustering: preprocess (impute, log1p, standardise), K-Means++ with a
 * fixed seed and Euclidean distance, then profile and name the clusters.
 *
 * <p>When no k is requested, every k in {@value #AUTO_MIN_K}..{@value #AUTO_MAX_K} (bounded so
 * each cluster could hold two rows) is trained and the one with the best mean silhouette wins;
 * ties go to the smaller k, the simpler segmentation. The silhouette rewards compact, well-separated
 * clusters without needing labels, and unlike inertia it does not always improve with more k.
 *
 * <p>HDBSCAN* ({@link #trainHdbscan}) is the alternative: it finds the number of clusters itself
 * from the density of the same standardised rows and leaves rows in no dense region out as noise
 * (public id {@link ClusterProfile#NOISE_ID}).
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

    public static final String KMEANS = "kmeans";
    public static final String HDBSCAN = "hdbscan";
    public static final java.util.List<String> ALGORITHMS = java.util.List.of(KMEANS, HDBSCAN);
    public static final int MIN_CLUSTER_SIZE = 2;
    public static final int MAX_CLUSTER_SIZE = 10_000;
    public static final int MIN_MIN_SAMPLES = 1;
    public static final int MAX_MIN_SAMPLES = 10_000;
    /**
     * Tribuo's HDBSCAN* is quadratic in rows (brute-force neighbours, Prim's spanning tree over all
     * pairs); above this many rows the hierarchy is built on a seeded sample and every row is then
     * assigned by the model's exemplar-based prediction, exactly as scoring assigns new rows.
     */
    public static final int HDBSCAN_MAX_FIT_ROWS = 10_000;
    /** Tribuo's label for HDBSCAN noise (HdbscanTrainer.OUTLIER_NOISE_CLUSTER_LABEL is package-private). */
    public static final int HDBSCAN_NOISE_LABEL = 0;

    private static final ClusteringFactory FACTORY = new ClusteringFactory();

    /**
     * HDBSCAN's default minimum cluster size: 5% of the rows it is fitted on, at least 5. A group
     * smaller than that is rarely worth a segment of its own, and smaller sizes split behaviours
     * into the many small dense spots that integer counts create (measured on 5 planted behaviours
     * × 120 rows: minimum sizes 5 and 10, about 1%, found 25 and 14 clusters).
     */
    public static int defaultMinClusterSize(int rows) {
        return Math.max(5, Math.min(rows, HDBSCAN_MAX_FIT_ROWS) / 20);
    }

    /**
     * HDBSCAN's default density neighbourhood (minPts, "min samples": the core distance is the
     * distance to this many-th nearest row, the row itself included): twice the minimum cluster
     * size. Counts are integers, so many subscribers share exactly the same row; with minPts equal
     * to the cluster size such duplicates form dense spots that HDBSCAN keeps as clusters of their
     * own. The wider neighbourhood smooths them out (planted data, 5 × 120 rows: 7 clusters and
     * ARI 0.91 with minPts = minClusterSize, 5 clusters and ARI 1.0 with twice it).
     */
    public static int defaultMinSamples(int minClusterSize) {
        return Math.min(MAX_MIN_SAMPLES, 2 * minClusterSize);
    }

    /** The fewest rows HDBSCAN needs for a minimum cluster size: two clusters' worth, at least {@link #MIN_ROWS}. */
    public static int requiredRowsHdbscan(int minClusterSize) {
        return Math.max(MIN_ROWS, 2 * minClusterSize);
    }

    /** HDBSCAN found no cluster: every row is noise at this minimum cluster size. */
    public static final class NoClusters extends RuntimeException {
        public NoClusters(int minClusterSize, int minSamples) {
            super("HDBSCAN found no cluster with at least " + minClusterSize + " members at minSamples "
                    + minSamples + "; every subscriber would be noise (try a smaller minClusterSize or minSamples)");
        }
    }

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

        List<ClusterProfile> clusters = profile(rows, preprocessing, points, labels, null);
        ClusteringMetrics metrics = new ClusteringMetrics(k, silhouetteByK.get(k), inertia(points, labels),
                rows.size(), requestedK == null ? silhouetteByK : null);
        Hyperparameters hyperparameters = new Hyperparameters(k, requestedK == null ? "silhouette" : "requested",
                requestedK == null ? AUTO_MIN_K : k, requestedK == null ? AUTO_MAX_K : k, seed, ITERATIONS,
                KMeansTrainer.Initialisation.PLUSPLUS.name(), "euclidean");
        return new TrainingOutcome(models.get(k), preprocessing, hyperparameters, metrics, clusters);
    }

    /**
     * Trains HDBSCAN* on {@code rows} (preprocessed exactly as for K-Means; Euclidean distance).
     *
     * @param minClusterSize fewest members of a cluster, or null for {@link #defaultMinClusterSize(int)}
     * @param minSamples density neighbourhood (minPts), or null for {@link #defaultMinSamples(int)}
     * @param seed seed of the row sample when there are more than {@link #HDBSCAN_MAX_FIT_ROWS} rows
     * @throws IllegalArgumentException when minClusterSize is out of range or there are too few rows
     * @throws NoClusters when every row is noise
     */
    public TrainingOutcome trainHdbscan(List<Map<String, Double>> rows, Integer minClusterSize, Integer minSamples,
            long seed) {
        if (minClusterSize != null && (minClusterSize < MIN_CLUSTER_SIZE || minClusterSize > MAX_CLUSTER_SIZE)) {
            throw new IllegalArgumentException("minClusterSize must be between " + MIN_CLUSTER_SIZE + " and "
                    + MAX_CLUSTER_SIZE);
        }
        if (minSamples != null && (minSamples < MIN_MIN_SAMPLES || minSamples > MAX_MIN_SAMPLES)) {
            throw new IllegalArgumentException("minSamples must be between " + MIN_MIN_SAMPLES + " and "
                    + MAX_MIN_SAMPLES);
        }
        int size = minClusterSize != null ? minClusterSize : defaultMinClusterSize(rows.size());
        int samples = Math.min(rows.size(), minSamples != null ? minSamples : defaultMinSamples(size));
        if (rows.size() < requiredRowsHdbscan(size)) {
            throw new IllegalArgumentException("need at least " + requiredRowsHdbscan(size) + " rows");
        }
        Preprocessing preprocessing = Preprocessing.fit(rows);
        double[][] points = rows.stream().map(preprocessing::transform).toArray(double[][]::new);
        String[] names = preprocessing.features().toArray(String[]::new);
        double[][] fitPoints = sample(points, HDBSCAN_MAX_FIT_ROWS, seed);

        MutableDataset<ClusterID> dataset = dataset(fitPoints, names);
        // one thread and brute-force neighbours: deterministic, and the only exact neighbour search Tribuo has
        HdbscanTrainer trainer = new HdbscanTrainer(size, new L2Distance(), samples, 1,
                NeighboursQueryFactoryType.BRUTE_FORCE);
        HdbscanModel model = trainer.train(dataset);
        if (model.getClusterExemplars().isEmpty()) {
            throw new NoClusters(size, samples);
        }
        // every row is labelled the way scoring will label it, so profiles describe what is published
        int[] labels = predict(model, points, names);
        List<Integer> clustered = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != HDBSCAN_NOISE_LABEL) {
                clustered.add(i);
            }
        }
        if (clustered.isEmpty()) {
            throw new NoClusters(size, samples);
        }
        double[][] clusteredPoints = clustered.stream().map(i -> points[i]).toArray(double[][]::new);
        int[] clusteredLabels = clustered.stream().mapToInt(i -> labels[i]).toArray();
        int k = (int) java.util.Arrays.stream(clusteredLabels).distinct().count();

        List<ClusterProfile> clusters = profile(rows, preprocessing, points, labels, HDBSCAN_NOISE_LABEL);
        ClusteringMetrics metrics = new ClusteringMetrics(k,
                Silhouette.sampledMean(clusteredPoints, clusteredLabels, SILHOUETTE_SAMPLE, seed),
                inertia(clusteredPoints, clusteredLabels), rows.size(), null, rows.size() - clustered.size());
        Hyperparameters hyperparameters = new Hyperparameters(k, "density", k, k, seed, 0, null, "euclidean",
                HDBSCAN, size, samples, fitPoints.length);
        return new TrainingOutcome(model, preprocessing, hyperparameters, metrics, clusters);
    }

    /** At most {@code max} of the points, drawn without replacement with {@code seed}; all of them, in order, when fewer. */
    static double[][] sample(double[][] points, int max, long seed) {
        if (points.length <= max) {
            return points;
        }
        int[] indices = new int[points.length];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i;
        }
        java.util.Random random = new java.util.Random(seed);
        double[][] sample = new double[max][];
        for (int i = 0; i < max; i++) {
            int j = i + random.nextInt(indices.length - i);
            int swap = indices[i];
            indices[i] = indices[j];
            indices[j] = swap;
            sample[i] = points[indices[i]];
        }
        return sample;
    }

    private static MutableDataset<ClusterID> dataset(double[][] points, String[] names) {
        MutableDataset<ClusterID> dataset = new MutableDataset<>(
                new SimpleDataSourceProvenance("cohort feature snapshots", FACTORY), FACTORY);
        for (double[] point : points) {
            dataset.add(new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, names, point));
        }
        return dataset;
    }

    static Model<ClusterID> fit(double[][] points, String[] names, int k, long seed) {
        MutableDataset<ClusterID> dataset = dataset(points, names);
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

    /**
     * @param noiseLabel the model's label for rows in no cluster (HDBSCAN), or null: that group is
     *                   profiled like a cluster (size, centroid, distinguishing features) under the
     *                   public id {@link ClusterProfile#NOISE_ID} and the fixed name
     *                   {@link ClusterProfile#NOISE_NAME}, and takes no part in naming the clusters
     */
    private static List<ClusterProfile> profile(List<Map<String, Double>> rows, Preprocessing preprocessing,
            double[][] points, int[] labels, Integer noiseLabel) {
        double[][] raw = rows.stream().map(preprocessing::raw).toArray(double[][]::new);
        Map<Integer, double[]> rawCentroids = means(raw, labels);
        Map<Integer, double[]> standardisedCentroids = means(points, labels);
        double[] populationRaw = means(raw, new int[raw.length]).get(0);
        Map<Integer, double[]> named = new TreeMap<>(standardisedCentroids);
        if (noiseLabel != null) {
            named.remove(noiseLabel);
        }
        Map<Integer, String> names = new TreeMap<>(new ClusterNamer(preprocessing.features())
                .nameAll(named, rawCentroids));
        if (noiseLabel != null) {
            names.put(noiseLabel, ClusterProfile.NOISE_NAME);
        }
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
            int publicId = noiseLabel != null && noiseLabel.equals(cluster) ? ClusterProfile.NOISE_ID : cluster;
            profiles.add(new ClusterProfile(publicId, names.get(cluster), size, (double) size / rows.size(), centroid,
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
