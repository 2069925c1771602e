package io.cohort.feature.persistence;

import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.FeatureVector;
import io.cohort.feature.domain.ActivityCounter;
import io.cohort.feature.domain.DailyActivity;
import io.cohort.feature.domain.FeatureCalculator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
    private final Clock clock;

    public FeatureStore(ProcessedEventRepository processed, SubscriberRepository subscribers,
            DailyActivityRepository activity, Clock clock) {
        this.processed = processed;
        this.subscribers = subscribers;
        this.activity = activity;
        this.clock = clock;
    }

    /**
     * Applies one event (which must have a message id and a subscriber key) and returns the vector
     * to publish: a new version for a new event, the current one for a duplicate (re-publishing
     * repairs a publish lost before the previous ack), none when a duplicate's subscriber is gone.
     */
    @Transactional
    public Applied apply(EventEnvelope event) {
        // PostgreSQL keeps microseconds; truncating keeps the published and the stored vector identical
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
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
        SubscriberRepository.Profile profile = subscribers.profile(subscriberId).orElseThrow();
        LocalDate oldestNeeded = LocalDate.ofInstant(now, ZoneOffset.UTC)
                .minusDays(FeatureCalculator.LONGEST_WINDOW_DAYS);
        List<DailyActivity> days = activity.after(subscriberId, oldestNeeded);
        FeatureVector vector = new FeatureVector(FeatureVector.SCHEMA_VERSION, subscriberId, profile.version() + 1,
                now, calculator.compute(days, profile.lastOpenAt(), now));
        subscribers.storeVector(vector);
        return new Applied(false, Optional.of(vector));
    }

    @Transactional
    public Optional<FeatureVector> currentVector(String subscriberId) {
        return subscribers.currentVector(subscriberId);
    }

    /** Erases everything held about the subscriber; true when something was held. */
    @Transactional
    public boolean erase(String subscriberId) {
        return subscribers.delete(subscriberId);
    }

    /** Outcome of applying one event: whether it was a duplicate, and the vector to publish. */
    public record Applied(boolean duplicate, Optional<FeatureVector> vector) {
    }
}
