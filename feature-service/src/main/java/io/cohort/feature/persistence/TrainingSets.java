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
            Map<String, Double> features = features(c, days, from, cutoff, rfmAsOf);
            boolean outcome = PointInTime.label(label, days, cutoff, horizonDays);
            return new Row(c.subscriberId(), cutoff, horizonDays, label.wireName(), outcome ? 1 : 0, features);
        }).toList();
    }

    /**
     * Features only, without a label: the rows of up to {@code limit} subscribers with ids after
     * {@code afterId} as of {@code cutoff}, which may be today's start (no horizon has to pass). No day
     * from the cutoff day on is even read, so nothing after the cutoff can move a row.
     */
    @Transactional
    public List<FeatureRow> featurePage(Instant cutoff, String afterId, int limit,
            io.cohort.feature.domain.Rfm.Boundaries rfmAsOf) {
        LocalDate cutoffDay = LocalDate.ofInstant(cutoff, ZoneOffset.UTC);
        LocalDate from = cutoffDay.minusDays(FeatureCalculator.LONGEST_WINDOW_DAYS + 1L);
        return candidates.page(cutoff, afterId, limit).stream().map(c -> new FeatureRow(c.subscriberId(), cutoff,
                features(c, activity.between(c.subscriberId(), from, cutoffDay), from, cutoff, rfmAsOf))).toList();
    }

    /** A candidate's features as of the cutoff from its days after {@code from} (and the orders before). */
    private Map<String, Double> features(TrainingSetRepository.Candidate c, List<DailyActivity> days, LocalDate from,
            Instant cutoff, io.cohort.feature.domain.Rfm.Boundaries rfmAsOf) {
        // the days before the cutoff day are in `days`; the lifetime totals add everything older
        io.cohort.feature.domain.OrderTotals earlier = activity.ordersThroughAll(List.of(c.subscriberId()), from)
                .get(c.subscriberId());
        return PointInTime.features(days, c.facts(), rfmAsOf, io.cohort.feature.domain.Rfm.tiePosition(c.subscriberId()),
                earlier, cutoff);
    }

    /** One line of a features-only export: the subscriber's features as of {@code asOf} (the cutoff used). */
    public record FeatureRow(String subscriberId, Instant asOf, Map<String, Double> features) {
    }

    /**
     * One NDJSON line: the subscriber's features as of {@code asOf} (the cutoff actually used) and
     * the {@code label}'s {@code outcome} (1 or 0) over the following {@code horizonDays} days.
     */
    public record Row(String subscriberId, Instant asOf, int horizonDays, String label, int outcome,
            Map<String, Double> features) {
    }
}
