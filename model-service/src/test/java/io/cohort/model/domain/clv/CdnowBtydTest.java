package io.cohort.model.domain.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.model.RealData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * BG/NBD and Gamma-Gamma on the real CDNOW calibration summaries against the published numbers
 * (shared/data/REFERENCE_RESULTS.md): Fader, Hardie &amp; Lee (2005) and Fader &amp; Hardie note 025.
 */
class CdnowBtydTest {

    private static final List<BgNbd.Customer> CUSTOMERS = new ArrayList<>();
    private static final List<GammaGamma.Customer> REPEAT = new ArrayList<>();
    private static final List<double[]> SPEND_ROWS = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        List<String> lines = Files.readAllLines(RealData.file("cdnow/cdnow_customers_summary.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            CUSTOMERS.add(new BgNbd.Customer(Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3])));
        }
        List<String> spend = Files.readAllLines(RealData.file("cdnow/cdnow_customers_summary_with_transactions.csv"));
        for (String line : spend.subList(1, spend.size())) {
            String[] f = line.split(",");
            double x = Double.parseDouble(f[1]);
            double zbar = Double.parseDouble(f[4]);
            SPEND_ROWS.add(new double[] {x, zbar});
            if (x > 0) {
                REPEAT.add(new GammaGamma.Customer(x, zbar));
            }
        }
    }

    @Test
    void bgNbdReproducesTheParametersOfFaderHardieLee2005() {
        assertEquals(2357, CUSTOMERS.size());
        BgNbd.Fit fit = BgNbd.fit(CUSTOMERS);
        BgNbd m = fit.model();
        System.out.printf("CDNOW BG/NBD: r=%.4f alpha=%.4f a=%.4f b=%.4f LL=%.2f%n", m.r(), m.alpha(), m.a(), m.b(),
                fit.logLikelihood());
        assertWithin1Percent(0.243, m.r(), "r");
        assertWithin1Percent(4.414, m.alpha(), "alpha");
        assertWithin1Percent(0.793, m.a(), "a");
        assertWithin1Percent(2.426, m.b(), "b");
        assertEquals(-9582.4, fit.logLikelihood(), 0.1);
    }

    @Test
    void bgNbdPredictionsMatchThePublishedValues() {
        BgNbd published = new BgNbd(0.2425945, 4.4136, 0.7929, 2.4258);
        // Hardie's spreadsheet / R BTYD via the lifetimes tests
        assertEquals(1.226, published.conditionalExpectedPurchases(39, new BgNbd.Customer(2, 30.43, 38.86)), 0.001);
        double[] t = {0.1429, 1, 3, 31.8571, 32, 78};
        double[] expected = {0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576};
        for (int i = 0; i < t.length; i++) {
            assertEquals(expected[i], published.expectedPurchases(t[i]), 0.0005, "E[X(" + t[i] + ")]");
        }
        // P(alive) of someone who never repeated is 1; of a lapsed frequent buyer it is low
        assertEquals(1.0, published.probabilityAlive(new BgNbd.Customer(0, 0, 38.86)));
        assertTrue(published.probabilityAlive(new BgNbd.Customer(10, 5, 38.86)) < 0.05);
        assertTrue(published.probabilityAlive(new BgNbd.Customer(10, 38, 38.86)) > 0.9);
    }

    @Test
    void timeToOneExpectedPurchaseSolvesTheConditionalExpectation() {
        BgNbd m = new BgNbd(0.243, 4.414, 0.793, 2.426);
        BgNbd.Customer frequent = new BgNbd.Customer(10, 38, 38.86);
        double t = m.timeToOneExpectedPurchase(frequent, 520);
        assertEquals(1.0, m.conditionalExpectedPurchases(t, frequent), 1e-3);
        assertTrue(Double.isNaN(m.timeToOneExpectedPurchase(new BgNbd.Customer(10, 5, 38.86), 520)));
    }

    @Test
    void gammaGammaReproducesNote025() {
        assertEquals(946, REPEAT.size());
        GammaGamma.Fit fit = GammaGamma.fit(REPEAT);
        GammaGamma m = fit.model();
        System.out.printf("CDNOW Gamma-Gamma: p=%.4f q=%.4f gamma=%.4f LL=%.2f%n", m.p(), m.q(), m.gamma(),
                fit.logLikelihood());
        assertWithin1Percent(6.25, m.p(), "p");
        assertWithin1Percent(3.74, m.q(), "q");
        assertWithin1Percent(15.44, m.gamma(), "gamma");
        assertEquals(-4055.92, fit.logLikelihood(), 0.1);
        double[] published = {24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17};
        for (int i = 0; i < published.length; i++) {
            double[] row = SPEND_ROWS.get(i);
            assertEquals(published[i], m.conditionalExpectedValue(row[0], row[1]), 0.1, "customer " + (i + 1));
        }
    }

    private static void assertWithin1Percent(double published, double actual, String name) {
        assertEquals(published, actual, 0.01 * published, name + " = " + actual + ", published " + published);
    }
}
