package io.cohort.model.domain.sendtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.model.domain.TrainedModel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits family {@code sendtime}: the population prior over hours of week (engagement shares of all
 * subscribers, add-one smoothed so no hour has zero prior mass).
 */
public final class SendTimeTrainer {

    public static final double DEFAULT_PRIOR_STRENGTH = 10;
    public static final int DEFAULT_MIN_EVENTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** No subscriber has any hour-of-week engagement yet. */
    public static final class NoHistory extends RuntimeException {
        public NoHistory() {
            super("no subscriber has hour_of_week_engagement counts yet");
        }
    }

    public TrainedModel train(List<Map<String, Double>> rows, Instant trainedAt) {
        double[] total = new double[SendTimeModel.HOURS];
        int withHistory = 0;
        double events = 0;
        for (Map<String, Double> row : rows) {
            double[] counts = SendTimeModel.counts(row);
            double sum = 0;
            for (int h = 0; h < counts.length; h++) {
                total[h] += counts[h];
                sum += counts[h];
            }
            if (sum > 0) {
                withHistory++;
                events += sum;
            }
        }
        if (withHistory == 0) {
            throw new NoHistory();
        }
        List<Double> prior = new ArrayList<>();
        for (double count : total) {
            prior.add((count + 1) / (events + SendTimeModel.HOURS));
        }
        SendTimeModel model = new SendTimeModel(prior, DEFAULT_PRIOR_STRENGTH, DEFAULT_MIN_EVENTS);
        int thin = 0;
        for (Map<String, Double> row : rows) {
            double sum = 0;
            for (double c : SendTimeModel.counts(row)) {
                sum += c;
            }
            if (sum < DEFAULT_MIN_EVENTS) {
                thin++;
            }
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("rows", rows.size());
        metrics.put("subscribersWithHistory", withHistory);
        metrics.put("engagements", events);
        metrics.put("subscribersOnFallback", thin);
        metrics.put("populationBestHour", model.populationBestHour());
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("priorStrength", DEFAULT_PRIOR_STRENGTH);
        hyper.put("minEvents", DEFAULT_MIN_EVENTS);
        hyper.put("method", "Dirichlet-multinomial posterior mean toward the population prior");
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("model", SendTimeModel.class.getName());
        provenance.put("trainedAt", trainedAt.toString());
        provenance.put("rows", rows.size());
        provenance.put("features", "hour_of_week_engagement.<0..167>");
        return new TrainedModel(rows.size(), hyper, metrics, Map.of("hours", SendTimeModel.HOURS),
                Map.of("prior", prior), write(provenance), write(model).getBytes(StandardCharsets.UTF_8), model);
    }

    public static SendTimeModel load(byte[] artifact) {
        try {
            return JSON.readValue(artifact, SendTimeModel.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored sendtime artifact is not readable", e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
