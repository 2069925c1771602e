package io.cohort.model.domain.sendtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.ScoreNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SendTimeModelTest {

    private static final String BIN = FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX;

    /** 200 subscribers, most engaging around Tuesday 09:00 (hour 33), some with their own habits. */
    private static List<Map<String, Double>> population() {
        Random random = new Random(5);
        List<Map<String, Double>> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Map<String, Double> row = new HashMap<>();
            int habit = i % 4 == 0 ? 100 + random.nextInt(60) : 33;
            for (int e = 0; e < 12; e++) {
                int hour = random.nextDouble() < 0.7 ? habit : random.nextInt(168);
                row.merge(BIN + hour, 1.0, Double::sum);
            }
            rows.add(row);
        }
        return rows;
    }

    @Test
    void smoothsTowardThePopulationAndFallsBackOnThinHistory() {
        SendTimeModel model = SendTimeTrainer.load(new SendTimeTrainer().train(population(), Instant.EPOCH).artifact());
        assertEquals(33, model.populationBestHour());
        // a strong personal habit wins
        assertEquals(140.0, model.predict(Map.of(BIN + "140", 20.0, BIN + "33", 2.0)).scores()
                .get(ScoreNames.SEND_HOUR_OF_WEEK));
        // one or two events: fallback to the population's best hour
        assertEquals(33, model.bestHour(Map.of(BIN + "140", 2.0)));
        assertEquals(33, model.bestHour(Map.of()));
        // three events at an hour nobody else uses are not enough against a 10-event prior peaked at 33
        double[] posterior = model.posterior(SendTimeModel.counts(Map.of(BIN + "77", 3.0)));
        assertTrue(posterior[77] > model.prior().get(77));
        assertEquals(33, SendTimeModel.argmax(posterior));
        // non-bin and malformed keys are ignored
        assertEquals(0.0, SendTimeModel.counts(Map.of(BIN + "x", 5.0, BIN + "400", 5.0, "orders_90d", 3.0))[0]);
    }

    @Test
    void heldOutEngagementsAreBetterPredictedBySmoothingThanByPopulationAloneOrAUniformPrior() {
        Random random = new Random(9);
        List<Map<String, Double>> history = new ArrayList<>();
        List<int[]> future = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int habit = random.nextInt(168);
            Map<String, Double> row = new HashMap<>();
            int[] next = new int[5];
            int events = 1 + random.nextInt(8);
            for (int e = 0; e < events + next.length; e++) {
                int hour = random.nextDouble() < 0.5 ? habit : (random.nextDouble() < 0.6 ? 33 : random.nextInt(168));
                if (e < events) {
                    row.merge(BIN + hour, 1.0, Double::sum);
                } else {
                    next[e - events] = hour;
                }
            }
            history.add(row);
            future.add(next);
        }
        SendTimeModel model = SendTimeTrainer.load(new SendTimeTrainer().train(history, Instant.EPOCH).artifact());
        double smoothed = 0;
        double population = 0;
        double laplace = 0;
        for (int i = 0; i < history.size(); i++) {
            double[] counts = SendTimeModel.counts(history.get(i));
            double[] posterior = model.posterior(counts);
            double total = 0;
            for (double c : counts) {
                total += c;
            }
            for (int hour : future.get(i)) {
                smoothed += Math.log(posterior[hour]);
                population += Math.log(model.prior().get(hour));
                // the subscriber's own counts with a uniform add-one prior, ignoring the population
                laplace += Math.log((counts[hour] + 1) / (total + SendTimeModel.HOURS));
            }
        }
        assertTrue(smoothed > population, smoothed + " vs " + population);
        assertTrue(smoothed > laplace, smoothed + " vs uniform add-one " + laplace);
    }

    @Test
    void refusesAPopulationWithoutHistory() {
        assertThrows(SendTimeTrainer.NoHistory.class,
                () -> new SendTimeTrainer().train(List.of(Map.of("orders_90d", 1.0)), Instant.EPOCH));
    }
}
