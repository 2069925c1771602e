package io.cohort.model.domain.sendtime;

import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.ScoreNames;
import io.cohort.model.domain.SubscriberPredictor;
import java.util.List;
import java.util.Map;

/**
 * Best hour of the week to send, per subscriber, from the {@code hour_of_week_engagement.<0..167>}
 * counts with Bayesian smoothing: the subscriber's counts n_h are the observations of a multinomial
 * whose Dirichlet prior is the population's engagement shares scaled to {@code priorStrength}
 * pseudo-events (α_h = κ·π_h). The posterior mean (n_h + α_h) / (N + κ) is maximised; a subscriber
 * with fewer than {@code minEvents} engagements gets the population's best hour (the prior's mode),
 * because a handful of events cannot move a 168-way choice reliably.
 *
 * <p>Segment prior ({@link #forSegment}): the same smoothing one level up. A segment's prior is its
 * members' summed counts S_h smoothed toward the population: π_seg,h = (S_h + λ·π_h) / (S + λ)
 * with λ = {@value #SEGMENT_PRIOR_STRENGTH} pseudo-events, so a segment with few engagements
 * keeps (nearly) the population prior and a well-observed one speaks for itself. Members are
 * then smoothed toward π_seg instead of π (κ and minEvents unchanged).
 *
 * @param prior population share of engagement per hour of week (168 values summing to 1)
 * @param priorStrength κ, pseudo-events the prior is worth
 * @param minEvents fewer engagements than this → population best hour
 */
public record SendTimeModel(List<Double> prior, double priorStrength, int minEvents) implements SubscriberPredictor {

    public static final int HOURS = 168;
    /** λ: pseudo-events the population prior is worth against a segment's own engagements. */
    public static final double SEGMENT_PRIOR_STRENGTH = 100;

    public SendTimeModel {
        if (prior.size() != HOURS) {
            throw new IllegalArgumentException("prior needs 168 hours");
        }
        prior = List.copyOf(prior);
    }

    /** The subscriber's engagement counts per hour of week (absent bins are 0). */
    public static double[] counts(Map<String, Double> features) {
        double[] counts = new double[HOURS];
        String prefix = FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX;
        for (Map.Entry<String, Double> entry : features.entrySet()) {
            if (entry.getKey().startsWith(prefix) && entry.getValue() != null && entry.getValue() > 0) {
                try {
                    int hour = Integer.parseInt(entry.getKey().substring(prefix.length()));
                    if (hour >= 0 && hour < HOURS) {
                        counts[hour] += entry.getValue();
                    }
                } catch (NumberFormatException ignored) {
                    // not an hour bin
                }
            }
        }
        return counts;
    }

    /** The segment prior for members whose summed engagement counts are {@code segmentCounts}. */
    public List<Double> segmentPrior(double[] segmentCounts) {
        if (segmentCounts.length != HOURS) {
            throw new IllegalArgumentException("segment counts need 168 hours");
        }
        double total = 0;
        for (double c : segmentCounts) {
            total += c;
        }
        List<Double> smoothed = new java.util.ArrayList<>(HOURS);
        for (int h = 0; h < HOURS; h++) {
            smoothed.add((segmentCounts[h] + SEGMENT_PRIOR_STRENGTH * prior.get(h)) / (total + SEGMENT_PRIOR_STRENGTH));
        }
        return smoothed;
    }

    /** Weight of the segment's own engagements in its prior: S / (S + λ). */
    public static double segmentWeight(double segmentEngagements) {
        return segmentEngagements / (segmentEngagements + SEGMENT_PRIOR_STRENGTH);
    }

    /** This model with the segment prior in place of the population prior (same κ and minEvents). */
    public SendTimeModel forSegment(double[] segmentCounts) {
        return new SendTimeModel(segmentPrior(segmentCounts), priorStrength, minEvents);
    }

    public int populationBestHour() {
        return argmax(prior.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Posterior mean share per hour. */
    public double[] posterior(double[] counts) {
        double total = 0;
        for (double c : counts) {
            total += c;
        }
        double[] posterior = new double[HOURS];
        for (int h = 0; h < HOURS; h++) {
            posterior[h] = (counts[h] + priorStrength * prior.get(h)) / (total + priorStrength);
        }
        return posterior;
    }

    public int bestHour(Map<String, Double> features) {
        return bestHour(counts(features));
    }

    /** The best hour for engagement counts per hour of week. */
    public int bestHour(double[] counts) {
        double total = 0;
        for (double c : counts) {
            total += c;
        }
        if (total < minEvents) {
            return populationBestHour();
        }
        return argmax(posterior(counts));
    }

    @Override
    public Prediction predict(Map<String, Double> features) {
        return new Prediction(Map.of(ScoreNames.SEND_HOUR_OF_WEEK, (double) bestHour(features)), Map.of());
    }

    static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
