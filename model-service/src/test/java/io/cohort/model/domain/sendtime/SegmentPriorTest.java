package io.cohort.model.domain.sendtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cohort.contracts.FeatureNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The segment prior's arithmetic, against values worked out by hand. */
class SegmentPriorTest {

    private static final String BIN = FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX;
    private static final double OTHER = 0.8 / 167;

    /** Population prior: 20% of engagement at hour 33, the rest spread evenly; κ = 10, minEvents = 3. */
    private static SendTimeModel population() {
        List<Double> prior = new ArrayList<>();
        for (int h = 0; h < SendTimeModel.HOURS; h++) {
            prior.add(h == 33 ? 0.2 : OTHER);
        }
        return new SendTimeModel(prior, 10, 3);
    }

    private static double[] segmentCounts(int hour, double events) {
        double[] counts = new double[SendTimeModel.HOURS];
        counts[hour] = events;
        return counts;
    }

    @Test
    void aWellObservedSegmentDominatesTheThinHistoriesOfItsMembers() {
        SendTimeModel population = population();
        // 400 engagements of the segment's members, all at hour 100; λ = 100
        SendTimeModel segment = population.forSegment(segmentCounts(100, 400));
        assertEquals((400 + 100 * OTHER) / 500, segment.prior().get(100), 1e-12);   // 0.800958…
        assertEquals(100 * 0.2 / 500, segment.prior().get(33), 1e-12);             // 0.04
        assertEquals(100 * OTHER / 500, segment.prior().get(7), 1e-12);            // 0.000958…
        assertEquals(1.0, segment.prior().stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
        assertEquals(400.0 / 500, SendTimeModel.segmentWeight(400), 1e-12);

        // two events (below minEvents): the prior's mode, which is the segment's hour, not the population's
        Map<String, Double> thin = Map.of(BIN + "50", 2.0);
        assertEquals(33, population.bestHour(thin));
        assertEquals(100, segment.bestHour(thin));

        // three events at hour 50: posterior (3 + 10·π_50) / 13 against 10·π_100 / 13
        Map<String, Double> three = Map.of(BIN + "50", 3.0);
        double[] posterior = segment.posterior(SendTimeModel.counts(three));
        assertEquals((3 + 10 * (100 * OTHER / 500)) / 13, posterior[50], 1e-12);    // 0.2315
        assertEquals(10 * ((400 + 100 * OTHER) / 500) / 13, posterior[100], 1e-12); // 0.6161
        assertEquals(100, segment.bestHour(three));
        // the population prior alone lets those three events win: (3 + 10·0.0048)/13 = 0.234 > 10·0.2/13 = 0.154
        assertEquals(50, population.bestHour(three));

        // a strong personal habit still beats the segment: 40 events at hour 9
        assertEquals(9, segment.bestHour(Map.of(BIN + "9", 40.0)));
    }

    @Test
    void aSmallSegmentFallsBackToThePopulationPrior() {
        SendTimeModel population = population();
        // five engagements only, all at hour 100: they weigh 5 / 105 against the population
        SendTimeModel segment = population.forSegment(segmentCounts(100, 5));
        assertEquals((5 + 100 * OTHER) / 105, segment.prior().get(100), 1e-12);     // 0.0522
        assertEquals(100 * 0.2 / 105, segment.prior().get(33), 1e-12);             // 0.1905
        assertEquals(5.0 / 105, SendTimeModel.segmentWeight(5), 1e-12);
        assertEquals(33, segment.populationBestHour());
        assertEquals(33, segment.bestHour(Map.of(BIN + "50", 2.0)));

        // a segment with no engagement at all is the population prior exactly
        SendTimeModel empty = population.forSegment(new double[SendTimeModel.HOURS]);
        for (int h = 0; h < SendTimeModel.HOURS; h++) {
            assertEquals(population.prior().get(h), empty.prior().get(h), 1e-15);
        }
    }
}
