package io.cohort.model.domain.clv;

/** Gauss's hypergeometric function 2F1 by its power series, for 0 ≤ z < 1. */
final class Hypergeometric {

    private static final int MAX_TERMS = 100_000;

    private Hypergeometric() {
    }

    static double f21(double a, double b, double c, double z) {
        if (z < 0 || z >= 1) {
            throw new IllegalArgumentException("series needs 0 <= z < 1, got " + z);
        }
        double term = 1;
        double sum = 1;
        for (int j = 0; j < MAX_TERMS; j++) {
            term *= (a + j) * (b + j) / ((c + j) * (j + 1)) * z;
            sum += term;
            if (Math.abs(term) <= 1e-15 * Math.abs(sum)) {
                return sum;
            }
        }
        return sum;
    }
}
