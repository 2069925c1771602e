package io.cohort.model.domain.clv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A fit whose α vanishes next to the horizon, scoring a customer first seen today (T = 0), puts the
 * hypergeometric series at z = 1, where it diverges: that used to throw ("series needs 0 <= z < 1")
 * and fail the training with a 500. There is no number then, so the expectations are NaN (omitted).
 */
class BgNbdDegenerateTest {

    private final BgNbd model = new BgNbd(0.5, 1e-20, 0.8, 2.5);
    private final BgNbd.Customer newToday = new BgNbd.Customer(0, 0, 0);

    @Test
    void expectationsAtZEqualOneAreNotANumberInsteadOfAnError() {
        assertTrue(Double.isNaN(model.conditionalExpectedPurchases(90, newToday)));
        assertTrue(Double.isNaN(model.expectedPurchases(90)));
        assertTrue(Double.isNaN(model.timeToOneExpectedPurchase(newToday, 365)));
    }

    @Test
    void anOrdinaryCustomerStillGetsANumber() {
        BgNbd usual = new BgNbd(0.5, 40, 0.8, 2.5);
        double expected = usual.conditionalExpectedPurchases(90, new BgNbd.Customer(2, 30, 60));
        assertTrue(expected > 0 && Double.isFinite(expected), Double.toString(expected));
    }
}
