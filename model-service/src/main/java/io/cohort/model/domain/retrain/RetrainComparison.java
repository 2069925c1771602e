package io.cohort.model.domain.retrain;

import io.cohort.model.domain.ClusterProfile;
import io.cohort.model.domain.ClusterScorer;
import io.cohort.model.domain.Preprocessing;
import io.cohort.model.domain.Silhouette;
import io.cohort.model.domain.clv.BgNbd;
import io.cohort.model.domain.clv.ClvModel;
import io.cohort.model.domain.clv.GammaGamma;
import io.cohort.model.domain.sendtime.SendTimeModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a scheduled retrain's candidate and the active version are compared for the families
 * trained on snapshots, on the same current rows. The candidate is activated only when it scores
 * strictly higher (the rule the propensity families apply to their holdout). For clustering the
 * silhouette is a real test: neither K-Means nor HDBSCAN maximises it. For CLV and send time the
 * candidate is the maximum-likelihood fit of exactly these rows, so it wins unless its optimiser
 * failed: there the comparison is a guard, not a holdout test.
 *
 * @param metric what was compared
 * @param candidate the candidate's value
 * @param active the active version's value on the same rows
 */
public record RetrainComparison(String metric, double candidate, double active) {

    public static final double EPSILON = 1e-9;

    public boolean candidateWins() {
        // an active version that no longer gives a number on these rows loses to one that does
        return Double.isFinite(candidate) && (Double.isNaN(active) || candidate > active + EPSILON);
    }

    /**
     * Mean silhouette of the rows as each version assigns them, both measured in the candidate's
     * standardised space (same points, same distance; only the partition differs). Rows a version
     * leaves as HDBSCAN noise do not count for that version.
     */
    public static RetrainComparison clustering(List<Map<String, Double>> rows, Preprocessing space,
            ClusterScorer candidate, ClusterScorer active, int sample, long seed) {
        double[][] points = rows.stream().map(space::transform).toArray(double[][]::new);
        return new RetrainComparison("silhouette", silhouette(rows, points, candidate, sample, seed),
                silhouette(rows, points, active, sample, seed));
    }

    private static double silhouette(List<Map<String, Double>> rows, double[][] points, ClusterScorer scorer,
            int sample, long seed) {
        List<double[]> kept = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            int cluster = scorer.assign(rows.get(i)).clusterId();
            if (cluster != ClusterProfile.NOISE_ID) {
                kept.add(points[i]);
                labels.add(cluster);
            }
        }
        return Silhouette.sampledMean(kept.toArray(double[][]::new), labels.stream().mapToInt(Integer::intValue)
                .toArray(), sample, seed);
    }

    /** BG/NBD plus Gamma-Gamma log-likelihood of the current rows under each version's parameters. */
    public static RetrainComparison clv(List<Map<String, Double>> rows, ClvModel candidate, ClvModel active) {
        List<ClvModel.Inputs> inputs = rows.stream().map(ClvModel::inputs).flatMap(Optional::stream).toList();
        List<BgNbd.Customer> customers = inputs.stream().map(ClvModel.Inputs::customer).toList();
        List<GammaGamma.Customer> buyers = new ArrayList<>();
        for (ClvModel.Inputs in : inputs) {
            if (in.customer().x() > 0 && in.meanOrderValue() > 0) {
                buyers.add(new GammaGamma.Customer(in.customer().x(), in.meanOrderValue()));
            }
        }
        return new RetrainComparison("logLikelihood",
                candidate.bgNbd().logLikelihood(customers) + candidate.gammaGamma().logLikelihood(buyers),
                active.bgNbd().logLikelihood(customers) + active.gammaGamma().logLikelihood(buyers));
    }

    /** Multinomial log-likelihood of everyone's current hour-of-week engagements under each prior: Σ N_h log π_h. */
    public static RetrainComparison sendTime(List<Map<String, Double>> rows, SendTimeModel candidate,
            SendTimeModel active) {
        double[] total = new double[SendTimeModel.HOURS];
        for (Map<String, Double> row : rows) {
            double[] counts = SendTimeModel.counts(row);
            for (int h = 0; h < total.length; h++) {
                total[h] += counts[h];
            }
        }
        return new RetrainComparison("logLikelihood", logLikelihood(total, candidate), logLikelihood(total, active));
    }

    private static double logLikelihood(double[] counts, SendTimeModel model) {
        double sum = 0;
        for (int h = 0; h < counts.length; h++) {
            if (counts[h] > 0) {
                sum += counts[h] * Math.log(model.prior().get(h));
            }
        }
        return sum;
    }
}
