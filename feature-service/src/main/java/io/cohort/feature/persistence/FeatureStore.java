package io.cohort.feature.persistence;

import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.FeatureVector;
import io.cohort.feature.domain.ActivityCounter;
import io.cohort.feature.domain.DailyActivity;
import io.cohort.feature.domain.FeatureCalculator;
import io.cohort.feature.domain.ProfileSignals;
import io.cohort.feature.domain.SubscriberState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies events to the aggregates and recomputes the vector, each event in one transaction.
 * Publishing is the caller's job, after commit: a Kafka ack must never be awaited inside a JTA
 * transaction, and the offset may only be committed once both the data and the vector are out.
 */
@ApplicationScoped
public class FeatureStore {

    private final ProcessedEventRepository processed;
    private final SubscriberRepository subscribers;
    private final DailyActivityRepository activity;
    private final FeatureCalculator calculator = new FeatureCalculator();
    private final RecentEventRepository recent;
    private final Clock clock;

    public FeatureStore(ProcessedEventRepository processed, SubscriberRepository subscribers,
            DailyActivityRepository activity, RecentEventRepository recent, Clock clock) {
        this.processed = processed;
        this.subscribers = subscribers;
        this.activity = activity;
        this.recent = recent;
        this.clock = clock;
    }

    /**
     * Applies one event (which must have a message id and a subscriber key) and returns the vector
     * to publish: a new version for a new event, the current one for a duplicate (re-publishing
     * repairs a publish lost before the previous ack), none when a duplicate's subscriber is gone.
     */
    @Transactional
    public Applied apply(EventEnvelope event) {
        Instant now = now();
        String subscriberId = event.subscriberKey();
        if (!processed.claim(event.messageId(), now)) {
            return new Applied(true, subscribers.currentVector(subscriberId));
        }
        Instant occurredAt = event.timestamp() != null ? event.timestamp()
                : event.receivedAt() != null ? event.receivedAt() : now;
        subscribers.markSeen(subscriberId, occurredAt);
        DailyActivity increment = ActivityCounter.count(event, occurredAt);
        if (!increment.isEmpty()) {
            activity.add(subscriberId, increment);
        }
        if (increment.opened() > 0) {
            subscribers.markOpened(subscriberId, occurredAt);
        }
        subscribers.applyProfile(subscriberId, ProfileSignals.of(event), occurredAt);
        recent.record(subscriberId, event, occurredAt);
        SubscriberRepository.Stored stored = subscribers.stored(subscriberId).orElseThrow();
        FeatureVector vector = new FeatureVector(FeatureVector.SCHEMA_VERSION, subscriberId, stored.version() + 1,
                now, compute(subscriberId, stored.state(), now));
        subscribers.storeVector(vector);
        // the caller publishes before committing the offset; a lost publish is repaired by redelivery
        subscribers.markFresh(subscriberId, today(now));
        return new Applied(false, Optional.of(vector));
    }

    /**
     * One batch of the time-driven sweep: claims up to {@code limit} subscribers whose vector was
     * last known current before today (UTC, by the service clock), recomputes each and returns the
     * vectors to publish. An unchanged vector is marked current at once; a changed one (a new
     * version) or one stored today but never confirmed published stays unmarked until
     * {@link #confirmSwept} runs after its publish, so a publish lost in between is retried by the
     * next sweep. Row locks are skipped by other replicas, which therefore share the work.
     */
    @Transactional
    public SweepBatch sweepBatch(int limit) {
        Instant now = now();
        LocalDate today = today(now);
        List<String> claimed = subscribers.claimStale(today, limit);
        List<FeatureVector> toPublish = new ArrayList<>();
        for (String subscriberId : claimed) {
            SubscriberRepository.Stored stored = subscribers.stored(subscriberId).orElseThrow();
            Map<String, Double> features = compute(subscriberId, stored.state(), now);
            if (!features.equals(stored.features())) {
                FeatureVector vector = new FeatureVector(FeatureVector.SCHEMA_VERSION, subscriberId,
                        stored.version() + 1, now, features);
                subscribers.storeVector(vector);
                toPublish.add(vector);
            } else if (stored.computedAt() != null && !today(stored.computedAt()).isBefore(today)) {
                // computed today by a sweep whose publish was never confirmed: publish it again
                toPublish.add(new FeatureVector(FeatureVector.SCHEMA_VERSION, subscriberId, stored.version(),
                        stored.computedAt(), stored.features()));
            } else {
                subscribers.markFresh(subscriberId, today);
            }
        }
        return new SweepBatch(claimed.size(), toPublish, today);
    }

    /** Marks swept vectors current once their publish was acknowledged. */
    @Transactional
    public void confirmSwept(List<FeatureVector> published, LocalDate day) {
        published.forEach(vector -> subscribers.markFresh(vector.subscriberId(), day));
    }

    @Transactional
    public Optional<FeatureVector> currentVector(String subscriberId) {
        return subscribers.currentVector(subscriberId);
    }

    @Transactional
    public Optional<SubscriberRepository.ProfileView> profile(String subscriberId) {
        return subscribers.profileView(subscriberId);
    }

    /** A page of the subscriber's recent events, or empty when the subscriber is unknown. */
    @Transactional
    public Optional<List<RecentEventRepository.Item>> timeline(String subscriberId, Instant beforeAt, Long beforeSeq,
            int limit) {
        if (subscribers.stored(subscriberId).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(recent.page(subscriberId, beforeAt, beforeSeq, limit));
    }

    /** Erases everything held about the subscriber; true when something was held. */
    @Transactional
    public boolean erase(String subscriberId) {
        return subscribers.delete(subscriberId);
    }

    private Map<String, Double> compute(String subscriberId, SubscriberState state, Instant now) {
        LocalDate oldestNeeded = today(now).minusDays(FeatureCalculator.LONGEST_WINDOW_DAYS);
        return calculator.computeFor(activity.after(subscriberId, oldestNeeded), state, now);
    }

    private Instant now() {
        // PostgreSQL keeps microseconds; truncating keeps the published and the stored vector identical
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static LocalDate today(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC);
    }

    /** Outcome of applying one event: whether it was a duplicate, and the vector to publish. */
    public record Applied(boolean duplicate, Optional<FeatureVector> vector) {
    }

    /** One sweep batch: how many subscribers it claimed, and the vectors to publish for {@code day}. */
    public record SweepBatch(int claimed, List<FeatureVector> toPublish, LocalDate day) {
    }
}
