import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.clustering.hdbscan.HdbscanModel;
import org.tribuo.clustering.hdbscan.HdbscanTrainer;
import org.tribuo.clustering.kmeans.KMeansTrainer;
import org.tribuo.math.neighbour.NeighboursQueryFactoryType;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * K-Means on N x D and logistic regression on N rows, Tribuo 4.3.2 (configured as model-service
 * configures it) beside Smile 3.1.1, on the same generated data in the same JVM. Prints a Markdown
 * table. Data: D standardised features around K Gaussian centres (K-Means); for LR, D features and
 * a logistic outcome with known weights (10% of the rows held out for AUC).
 */
public class ModelBench {

    public static void main(String[] args) {
        int rows = 1_000_000;
        int dims = 30;
        int k = 8;
        int iterations = 20;
        int epochs = 5;
        int threads = Runtime.getRuntime().availableProcessors();
        List<Integer> hdbscanRows = new ArrayList<>();
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(args[i + 1]);
                case "--features" -> dims = Integer.parseInt(args[i + 1]);
                case "--k" -> k = Integer.parseInt(args[i + 1]);
                case "--iterations" -> iterations = Integer.parseInt(args[i + 1]);
                case "--epochs" -> epochs = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                // HDBSCAN only: comma-separated row counts (model-service fits at most 10,000 rows)
                case "--hdbscan-rows" -> Arrays.stream(args[i + 1].split(",")).map(Integer::parseInt)
                        .forEach(hdbscanRows::add);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf("java %s, %d cores, max heap %d MB; rows=%d features=%d k=%d iterations=%d epochs=%d%n%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, rows, dims, k, iterations, epochs);
        List<String> table = new ArrayList<>();
        table.add("| task | library | configuration | build data (s) | train (s) | quality |");
        table.add("|---|---|---|---:|---:|---|");
        if (!hdbscanRows.isEmpty()) {
            for (int n : hdbscanRows) {
                hdbscan(n, table);
            }
            table.forEach(System.out::println);
            return;
        }
        kmeans(rows, dims, k, iterations, threads, table);
        logistic(rows, dims, epochs, table);
        table.forEach(System.out::println);
    }

    /**
     * Tribuo HDBSCAN* as model-service runs it (Euclidean, brute-force neighbours, one thread, the
     * default minClusterSize 5% of the rows and minSamples twice that) on N rows × 6 features, the
     * width of the behavioural clustering, around 5 Gaussian centres.
     */
    static void hdbscan(int rows, List<String> table) {
        int dims = 6;
        Random random = new Random(3);
        double[][] centres = new double[5][dims];
        for (double[] c : centres) {
            for (int j = 0; j < dims; j++) {
                c[j] = random.nextGaussian() * 3;
            }
        }
        String[] names = names(dims);
        ClusteringFactory factory = new ClusteringFactory();
        long start = System.nanoTime();
        MutableDataset<ClusterID> data = new MutableDataset<>(new SimpleDataSourceProvenance("bench", factory), factory);
        for (int i = 0; i < rows; i++) {
            double[] x = new double[dims];
            for (int j = 0; j < dims; j++) {
                x[j] = centres[i % 5][j] + random.nextGaussian() * 0.5;
            }
            data.add(new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, names, x));
        }
        double build = (System.nanoTime() - start) / 1e9;
        int minClusterSize = Math.max(5, rows / 20);
        start = System.nanoTime();
        HdbscanModel model = new HdbscanTrainer(minClusterSize, new L2Distance(), 2 * minClusterSize, 1,
                NeighboursQueryFactoryType.BRUTE_FORCE).train(data);
        double train = (System.nanoTime() - start) / 1e9;
        long noise = model.getClusterLabels().stream().filter(label -> label == 0).count();
        int artifact = model.serialize().toByteArray().length;
        table.add(String.format("| HDBSCAN %,d × %d | Tribuo 4.3.2 HdbscanTrainer | minClusterSize %d, minSamples %d,"
                + " brute force, 1 thread (as model-service) | %.1f | %.1f | %d clusters, %d noise, artifact %,d bytes |",
                rows, dims, minClusterSize, 2 * minClusterSize, build, train, model.getClusterExemplars().stream()
                        .map(HdbscanTrainer.ClusterExemplar::getLabel).distinct().count(), noise, artifact));
    }

    static String[] names(int dims) {
        String[] names = new String[dims];
        for (int j = 0; j < dims; j++) {
            names[j] = String.format("f%02d", j);
        }
        return names;
    }

    static void kmeans(int rows, int dims, int k, int iterations, int threads, List<String> table) {
        Random random = new Random(1);
        double[][] centres = new double[k][dims];
        for (double[] c : centres) {
            for (int j = 0; j < dims; j++) {
                c[j] = random.nextGaussian() * 3;
            }
        }
        double[][] x = new double[rows][dims];
        for (int i = 0; i < rows; i++) {
            double[] c = centres[i % k];
            for (int j = 0; j < dims; j++) {
                x[i][j] = c[j] + random.nextGaussian();
            }
        }
        String[] names = names(dims);
        ClusteringFactory factory = new ClusteringFactory();
        for (int t : new int[] {1, threads}) {
            long start = System.nanoTime();
            MutableDataset<ClusterID> dataset = new MutableDataset<>(new SimpleDataSourceProvenance("bench", factory), factory);
            for (double[] row : x) {
                dataset.add(new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, names, row));
            }
            double build = seconds(start);
            start = System.nanoTime();
            Model<ClusterID> model = new KMeansTrainer(k, iterations, new L2Distance(), KMeansTrainer.Initialisation.PLUSPLUS, t, 42)
                    .train(dataset);
            double train = seconds(start);
            table.add(String.format("| K-Means %d x %d, k=%d | Tribuo 4.3.2 KMeansTrainer | K-Means++, %d iterations, %d thread%s | %.1f | %.1f | distortion %.4g |",
                    rows, dims, k, iterations, t, t == 1 ? "" : "s", build, train, distortion(model, x, names, k)));
            System.gc();
            if (threads == 1) {
                break;
            }
        }
        long start = System.nanoTime();
        smile.clustering.KMeans lloyd = smile.clustering.KMeans.lloyd(x, k, iterations, 1e-4);
        table.add(String.format("| K-Means %d x %d, k=%d | Smile 3.1.1 KMeans.lloyd | K-Means++, at most %d iterations, tol 1e-4, parallel | 0 | %.1f | distortion %.4g |",
                rows, dims, k, iterations, seconds(start), lloyd.distortion));
        start = System.nanoTime();
        smile.clustering.KMeans bbd = smile.clustering.KMeans.fit(x, k, iterations, 1e-4);
        table.add(String.format("| K-Means %d x %d, k=%d | Smile 3.1.1 KMeans.fit | BBD tree, at most %d iterations, tol 1e-4 | 0 | %.1f | distortion %.4g |",
                rows, dims, k, iterations, seconds(start), bbd.distortion));
    }

    static void logistic(int rows, int dims, int epochs, List<String> table) {
        Random random = new Random(2);
        double[] w = new double[dims];
        for (int j = 0; j < dims; j++) {
            w[j] = random.nextGaussian() * 0.5;
        }
        int test = rows / 10;
        double[][] x = new double[rows + test][dims];
        int[] y = new int[rows + test];
        for (int i = 0; i < rows + test; i++) {
            double z = -1.5;
            for (int j = 0; j < dims; j++) {
                x[i][j] = random.nextGaussian();
                z += w[j] * x[i][j];
            }
            y[i] = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        double[][] trainX = Arrays.copyOfRange(x, 0, rows);
        int[] trainY = Arrays.copyOfRange(y, 0, rows);
        String[] names = names(dims);
        LabelFactory factory = new LabelFactory();
        long start = System.nanoTime();
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance("bench", factory), factory);
        for (int i = 0; i < rows; i++) {
            dataset.add(new ArrayExample<>(new Label(trainY[i] == 1 ? "1" : "0"), names, trainX[i]));
        }
        double build = seconds(start);
        start = System.nanoTime();
        Model<Label> tribuo = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), epochs, Integer.MAX_VALUE, 16, 42)
                .train(dataset);
        double train = seconds(start);
        double[] p = new double[test];
        for (int i = 0; i < test; i++) {
            p[i] = tribuo.predict(new ArrayExample<>(new Label("0"), names, x[rows + i])).getOutputScores().get("1").getScore();
        }
        table.add(String.format("| logistic regression %d x %d | Tribuo 4.3.2 LinearSGDTrainer | logistic loss, AdaGrad 0.1, %d epochs, minibatch 16 | %.1f | %.1f | holdout AUC %.4f |",
                rows, dims, epochs, build, train, auc(p, Arrays.copyOfRange(y, rows, rows + test))));
        System.gc();
        start = System.nanoTime();
        smile.classification.LogisticRegression.Binomial smileLr = smile.classification.LogisticRegression.binomial(trainX, trainY, 0.0, 1e-5, 500);
        train = seconds(start);
        for (int i = 0; i < test; i++) {
            double[] posteriori = new double[2];
            smileLr.predict(x[rows + i], posteriori);
            p[i] = posteriori[1];
        }
        table.add(String.format("| logistic regression %d x %d | Smile 3.1.1 LogisticRegression.binomial | L-BFGS, tol 1e-5, at most 500 iterations | 0 | %.1f | holdout AUC %.4f |",
                rows, dims, train, auc(p, Arrays.copyOfRange(y, rows, rows + test))));
    }

    /** Sum of squared distances of the rows to the mean of their predicted cluster (Smile's "distortion"). */
    static double distortion(Model<ClusterID> model, double[][] x, String[] names, int k) {
        int dims = x[0].length;
        int[] label = new int[x.length];
        double[][] sums = new double[k + 1][dims];
        int[] counts = new int[k + 1];
        for (int i = 0; i < x.length; i++) {
            label[i] = model.predict(new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, names, x[i])).getOutput().getID();
            counts[label[i]]++;
            for (int j = 0; j < dims; j++) {
                sums[label[i]][j] += x[i][j];
            }
        }
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < dims; j++) {
                double d = x[i][j] - sums[label[i]][j] / counts[label[i]];
                total += d * d;
            }
        }
        return total;
    }

    static double auc(double[] p, int[] y) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
        double rankSum = 0;
        long positives = 0;
        for (int r = 0; r < order.length; r++) {
            if (y[order[r]] == 1) {
                rankSum += r + 1;
                positives++;
            }
        }
        long negatives = p.length - positives;
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
