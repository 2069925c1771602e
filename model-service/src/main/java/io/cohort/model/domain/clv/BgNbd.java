package io.cohort.model.domain.clv;

import java.util.List;
import org.hipparchus.special.Beta;
import org.hipparchus.special.Gamma;

/**
 * The BG/NBD model of Fader, Hardie &amp; Lee (2005, "Counting your customers the easy way").
 * While alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after every purchase
 * the customer drops out with probability p ~ Beta(a, b). Per customer: {@code x} repeat purchases,
 * {@code tx} time of the last one and {@code T} the length of observation, all measured from the
 * customer's birth in one time unit (weeks for CDNOW, days in this service).
 *
 * @param r     shape of the purchase-rate Gamma
 * @param alpha scale of the purchase-rate Gamma (in the time unit)
 * @param a     first shape of the dropout Beta
 * @param b     second shape of the dropout Beta
 */
public record BgNbd(double r, double alpha, double a, double b) {

    /** One customer's purchase history summary. */
    public record Customer(double x, double tx, double T) {
        public Customer {
            if (x < 0 || tx < 0 || T < tx || !Double.isFinite(x + tx + T)) {
                throw new IllegalArgumentException("need x >= 0 and 0 <= tx <= T, got x=" + x + " tx=" + tx + " T=" + T);
            }
            if (x == 0 && tx != 0) {
                throw new IllegalArgumentException("tx must be 0 when x = 0");
            }
        }
    }

    /** A fitted model with its maximised log-likelihood. */
    public record Fit(BgNbd model, double logLikelihood, int customers) {
    }

    /** Fits (r, α, a, b) by maximum likelihood (FHL 2005 eq. 6) with Hipparchus's Nelder–Mead. */
    public static Fit fit(List<Customer> customers) {
        if (customers.isEmpty()) {
            throw new IllegalArgumentException("no customers to fit");
        }
        double meanT = customers.stream().mapToDouble(Customer::T).average().orElse(1);
        double[] start = {1, Math.max(meanT, 1e-3), 1, 1};
        LogParameterMle.Fit fit = LogParameterMle.maximise(
                params -> new BgNbd(params[0], params[1], params[2], params[3]).logLikelihood(customers), start);
        double[] p = fit.parameters();
        return new Fit(new BgNbd(p[0], p[1], p[2], p[3]), fit.logLikelihood(), customers.size());
    }

    public double logLikelihood(List<Customer> customers) {
        double sum = 0;
        double lnBetaAB = Beta.logBeta(a, b);
        double lnGammaR = Gamma.logGamma(r);
        for (Customer c : customers) {
            sum += logLikelihood(c, lnBetaAB, lnGammaR);
        }
        return sum;
    }

    private double logLikelihood(Customer c, double lnBetaAB, double lnGammaR) {
        double x = c.x();
        double a1 = Gamma.logGamma(r + x) - lnGammaR + r * Math.log(alpha);
        double a2 = Beta.logBeta(a, b + x) - lnBetaAB - (r + x) * Math.log(alpha + c.T());
        if (x == 0) {
            return a1 + a2;
        }
        double a3 = Beta.logBeta(a + 1, b + x - 1) - lnBetaAB - (r + x) * Math.log(alpha + c.tx());
        double max = Math.max(a2, a3);
        return a1 + max + Math.log(Math.exp(a2 - max) + Math.exp(a3 - max));
    }

    /** P(alive | x, tx, T). */
    public double probabilityAlive(Customer c) {
        if (c.x() == 0) {
            return 1;
        }
        return 1 / (1 + deathOdds(c));
    }

    /** a/(b+x-1) · ((α+T)/(α+tx))^(r+x), computed in logs. */
    private double deathOdds(Customer c) {
        double x = c.x();
        return Math.exp(Math.log(a) - Math.log(b + x - 1)
                + (r + x) * (Math.log(alpha + c.T()) - Math.log(alpha + c.tx())));
    }

    /** E[X(t)]: expected purchases in (0, t] of a customer picked at random at birth. */
    public double expectedPurchases(double t) {
        double z = t / (alpha + t);
        if (z >= 1) {
            return Double.NaN; // α negligible against t: the series diverges (see conditionalExpectedPurchases)
        }
        return (a + b - 1) / (a - 1)
                * (1 - Math.pow(alpha / (alpha + t), r) * Hypergeometric.f21(r, b, a + b - 1, z));
    }

    /** E[Y(t) | x, tx, T]: expected purchases in the next {@code t} time units (FHL eq. 10). */
    public double conditionalExpectedPurchases(double t, Customer c) {
        if (t <= 0) {
            return 0;
        }
        double x = c.x();
        double z = t / (alpha + c.T() + t);
        if (z >= 1) {
            // a customer first seen today (T = 0) under a fitted α that vanishes next to t: the 2F1
            // series does not converge, so there is no number to give (scoring omits the score)
            return Double.NaN;
        }
        double head = (a + b + x - 1) / (a - 1);
        double tail = 1 - Math.exp((r + x) * (Math.log(alpha + c.T()) - Math.log(alpha + c.T() + t)))
                * Hypergeometric.f21(r + x, b + x, a + b + x - 1, z);
        double denominator = x > 0 ? 1 + deathOdds(c) : 1;
        return head * tail / denominator;
    }

    /**
     * Time until one purchase is expected: the smallest t with E[Y(t) | x, tx, T] ≥ 1, by bisection,
     * or NaN when that is not reached within {@code limit} time units (a customer likely gone).
     */
    public double timeToOneExpectedPurchase(Customer c, double limit) {
        if (!(conditionalExpectedPurchases(limit, c) >= 1)) {
            return Double.NaN;
        }
        double lo = 0;
        double hi = limit;
        for (int i = 0; i < 60 && hi - lo > 1e-6 * limit; i++) {
            double mid = (lo + hi) / 2;
            if (conditionalExpectedPurchases(mid, c) >= 1) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }
}
