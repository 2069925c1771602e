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

    /**
     * Newton steps with a backtracking line search (Lin, Lin and Weng, 2007): a full Newton step from
     * (1, 0) can overshoot the optimum, once as far as a = 4e13, which saturates every score to 0 or
     * 1. Each step is halved until the loss decreases enough, so the loss never increases.
     */
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
        double[] t = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            t[i] = y[i] == 1 ? hi : lo;
        }
        double a = 1;
        double b = 0;
        double loss = loss(a, b, logOdds, t);
        for (int iteration = 0; iteration < 100; iteration++) {
            // gradient and Hessian of the loss (a small ridge keeps the Hessian invertible)
            double ga = 0;
            double gb = 0;
            double haa = 1e-12;
            double hab = 0;
            double hbb = 1e-12;
            for (int i = 0; i < y.length; i++) {
                double p = sigmoid(a * logOdds[i] + b);
                double r = p - t[i];
                ga += r * logOdds[i];
                gb += r;
                double w = p * (1 - p);
                haa += w * logOdds[i] * logOdds[i];
                hab += w * logOdds[i];
                hbb += w;
            }
            if (Math.abs(ga) < 1e-7 && Math.abs(gb) < 1e-7) {
                break;
            }
            double det = haa * hbb - hab * hab;
            if (!(det > 0)) {
                break;
            }
            double da = -(hbb * ga - hab * gb) / det;
            double db = -(haa * gb - hab * ga) / det;
            double slope = ga * da + gb * db;
            double step = 1;
            while (step >= 1e-10) {
                double candidate = loss(a + step * da, b + step * db, logOdds, t);
                if (candidate < loss + 1e-4 * step * slope) {
                    a += step * da;
                    b += step * db;
                    loss = candidate;
                    break;
                }
                step /= 2;
            }
            if (step < 1e-10) {
                break;
            }
        }
        return new PlattScaling(a, b);
    }

    private static double sigmoid(double f) {
        return f >= 0 ? 1 / (1 + Math.exp(-f)) : Math.exp(f) / (1 + Math.exp(f));
    }

    /** The negative log-likelihood of the targets, stable for large |a·s + b|. */
    private static double loss(double a, double b, double[] logOdds, double[] t) {
        double total = 0;
        for (int i = 0; i < logOdds.length; i++) {
            double f = a * logOdds[i] + b;
            total += (f >= 0 ? Math.log1p(Math.exp(-f)) : -f + Math.log1p(Math.exp(f))) + (1 - t[i]) * f;
        }
        return total;
    }
}
