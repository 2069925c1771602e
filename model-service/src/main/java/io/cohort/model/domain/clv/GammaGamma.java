package io.cohort.model.domain.clv;

import java.util.List;
import org.hipparchus.special.Gamma;

/**
 * The Gamma-Gamma model of monetary value (Fader &amp; Hardie, note 025; Colombo &amp; Jiang 1999):
 * transaction values of a customer are Gamma(p, ν) around the customer's mean, with ν ~ Gamma(q, γ)
 * across customers. Fitted on customers with at least one repeat purchase, on their number of
 * repeat purchases {@code x} and the mean value {@code zbar} of those purchases.
 */
public record GammaGamma(double p, double q, double gamma) {

    public record Customer(double x, double meanValue) {
        public Customer {
            if (!(x > 0) || !(meanValue > 0)) {
                throw new IllegalArgumentException("need x > 0 and meanValue > 0");
            }
        }
    }

    public record Fit(GammaGamma model, double logLikelihood, int customers) {
    }

    public static Fit fit(List<Customer> customers) {
        if (customers.isEmpty()) {
            throw new IllegalArgumentException("no customers with repeat purchases to fit");
        }
        LogParameterMle.Fit fit = LogParameterMle.maximise(
                params -> new GammaGamma(params[0], params[1], params[2]).logLikelihood(customers),
                new double[] {1, 1, 1});
        double[] v = fit.parameters();
        return new Fit(new GammaGamma(v[0], v[1], v[2]), fit.logLikelihood(), customers.size());
    }

    public double logLikelihood(List<Customer> customers) {
        double lnGammaQ = Gamma.logGamma(q);
        double qLnGamma = q * Math.log(gamma);
        double sum = 0;
        for (Customer c : customers) {
            double px = p * c.x();
            sum += Gamma.logGamma(px + q) - Gamma.logGamma(px) - lnGammaQ + qLnGamma
                    + (px - 1) * Math.log(c.meanValue()) + px * Math.log(c.x())
                    - (px + q) * Math.log(gamma + c.x() * c.meanValue());
        }
        return sum;
    }

    /** Population mean transaction value pγ/(q−1) (infinite when q ≤ 1). */
    public double populationMeanValue() {
        return q > 1 ? p * gamma / (q - 1) : Double.POSITIVE_INFINITY;
    }

    /** E[Z | x, zbar]: the customer's expected transaction value; the population mean when x = 0. */
    public double conditionalExpectedValue(double x, double meanValue) {
        if (x <= 0) {
            return populationMeanValue();
        }
        return p * (gamma + x * meanValue) / (p * x + q - 1);
    }
}
