package io.cohort.feature.persistence;

import io.cohort.feature.domain.DailyActivity;
import io.cohort.feature.domain.FeatureCalculator;
import io.cohort.feature.domain.PointInTime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Builds point-in-time training rows one page (one short transaction) at a time. */
@ApplicationScoped
public class TrainingSets {

    private final TrainingSetRepository candidates;
    private final DailyActivityRepository activity;

    private final RfmRepository rfm;

    public TrainingSets(TrainingSetRepository candidates, DailyActivityRepository activity, RfmRepository rfm) {
        this.candidates = candidates;
        this.activity = activity;
        this.rfm = rfm;
    }

    /**
     * The RFM quintile boundaries the vectors of the cutoff's eve were scored with: the customers' RFM
     * over the 365 days up to the day before the cutoff day (null without customers then).
     */
    @Transactional
    public io.cohort.feature.domain.Rfm.Boundaries rfmAsOf(Instant cutoff) {
        return rfm.boundaries(LocalDate.ofInstant(cutoff, ZoneOffset.UTC).minusDays(1)).orElse(null);
    }

    /** The rows of up to {@code limit} subscribers with ids after {@code afterId}; empty when done. */
    @Transactional
    public List<Row> page(Instant cutoff, int horizonDays, PointInTime.Label label, String afterId, int limit,
            io.cohort.feature.domain.Rfm.Boundaries rfmAsOf) {
        LocalDate cutoffDay = LocalDate.ofInstant(cutoff, ZoneOffset.UTC);
        // the longest feature window before the cutoff day, and the horizon from it
        LocalDate from = cutoffDay.minusDays(FeatureCalculator.LONGEST_WINDOW_DAYS + 1L);
        LocalDate until = cutoffDay.plusDays(horizonDays);
        return candidates.page(cutoff, afterId, limit).stream().map(c -> {
            List<DailyActivity> days = activity.between(c.subscriberId(), from, until);
            Map<String, Double> features = PointInTime.features(days, c.facts(), rfmAsOf,
                    io.cohort.feature.domain.Rfm.tiePosition(c.subscriberId()), cutoff);
            boolean outcome = PointInTime.label(label, days, cutoff, horizonDays);
            return new Row(c.subscriberId(), cutoff, horizonDays, label.wireName(), outcome ? 1 : 0, features);
        }).toList();
    }

    /**
     * One NDJSON line: the subscriber's features as of {@code asOf} (the cutoff actually used) and
     * the {@code label}'s {@code outcome} (1 or 0) over the following {@code horizonDays} days.
     */
    public record Row(String subscriberId, Instant asOf, int horizonDays, String label, int outcome,
            Map<String, Double> features) {
    }
}
