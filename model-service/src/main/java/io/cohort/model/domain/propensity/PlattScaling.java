package io.cohort.model.domain.propensity;

/**
 * Platt scaling: calibrated p = 1 / (1 + exp(−(a·s + b))) on the model's log-odds s, fitted by
 * maximum likelihood (Newton–Raphson on the two-parameter logistic log-likelihood, which is
 * concave) on a calibration split the model was not trained on, with Platt's (1999) smoothed targets
 * (N₊+1)/(N₊+2) and 1/(N₋+2) against over-confidence on small splits.
 */
public record PlattScaling(double a, double b) {

    public static final PlattScaling IDENTITY = new PlattScaling(1, 0);

    public double apply(double logOdds) {
        return 1 / (1 + Math.exp(-(a * logOdds + b)));
    }

    public static double logOdds(double p) {
        double q = Math.min(1 - 1e-12, Math.max(1e-12, p));
        return Math.log(q / (1 - q));
    }

    public static PlattScaling fit(double[] logOdds, int[] y) {
        int positives = 0;
        for (int v : y) {
            positives += v;
        }
        int negatives = y.length - positives;
        if (positives == 0 || negatives == 0) {
            return IDENTITY;
        }
        double hi = (positives + 1.0) / (positives + 2.0);
        double lo = 1.0 / (negatives + 2.0);
        double a = 1;
        double b = 0;
        for (int iteration = 0; iteration < 100; iteration++) {
            double ga = 0;
            double gb = 0;
            double haa = 1e-12;
            double hab = 0;
            double hbb = 1e-12;
            for (int i = 0; i < y.length; i++) {
                double t = y[i] == 1 ? hi : lo;
                double p = 1 / (1 + Math.exp(-(a * logOdds[i] + b)));
                double r = t - p;
                ga += r * logOdds[i];
                gb += r;
                double w = p * (1 - p);
                haa += w * logOdds[i] * logOdds[i];
                hab += w * logOdds[i];
                hbb += w;
            }
            double det = haa * hbb - hab * hab;
            if (det <= 0) {
                break;
            }
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            a += da;
            b += db;
            if (Math.abs(da) + Math.abs(db) < 1e-10) {
                break;
            }
        }
        return new PlattScaling(a, b);
    }
}
