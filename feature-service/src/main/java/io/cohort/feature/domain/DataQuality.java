package io.cohort.feature.domain;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one consumed event adds to the data-quality counters. Pure.
 *
 * <ul>
 * <li>{@code events}: events consumed (duplicates included);</li>
 * <li>{@code duplicates_dropped}: events whose message id was already applied;</li>
 * <li>{@code events_without_known_subscriber}: applied events with no userId (only an anonymousId);</li>
 * <li>{@code clock_skewed_events}: applied events whose client clock was off by more than
 * {@link #SKEW_TOLERANCE}: |receivedAt - sentAt| above it (ingest corrected the timestamp), or a
 * timestamp still more than that after receivedAt;</li>
 * <li>{@code unknown_event_names}: applied track events whose name is not a canonical one;</li>
 * <li>{@code opens} and {@code machine_opens}: applied 'Email Opened' events, and those with
 * {@code properties.machineOpen = true}.</li>
 * </ul>
 */
public final class DataQuality {

    public static final Duration SKEW_TOLERANCE = Duration.ofMinutes(5);
    public static final int INACTIVE_DAYS = 180;

    public static final String EVENTS = "events";
    public static final String DUPLICATES = "duplicates_dropped";
    public static final String WITHOUT_SUBSCRIBER = "events_without_known_subscriber";
    public static final String CLOCK_SKEWED = "clock_skewed_events";
    public static final String UNKNOWN_NAMES = "unknown_event_names";
    public static final String OPENS = "opens";
    public static final String MACHINE_OPENS = "machine_opens";
    public static final List<String> COUNTERS = List.of(EVENTS, DUPLICATES, WITHOUT_SUBSCRIBER, CLOCK_SKEWED,
            UNKNOWN_NAMES, OPENS, MACHINE_OPENS);

    private static final Set<String> CANONICAL = Set.of(CanonicalEvents.EMAIL_SENT, CanonicalEvents.EMAIL_DELIVERED,
            CanonicalEvents.EMAIL_OPENED, CanonicalEvents.EMAIL_LINK_CLICKED, CanonicalEvents.EMAIL_REPLIED,
            CanonicalEvents.EMAIL_BOUNCED, CanonicalEvents.EMAIL_MARKED_AS_SPAM, CanonicalEvents.UNSUBSCRIBED,
            CanonicalEvents.ORDER_COMPLETED, CanonicalEvents.PRODUCT_VIEWED, CanonicalEvents.INTENT_SIGNAL,
            CanonicalEvents.CONSENT_UPDATED);

    private DataQuality() {
    }

    /** The counter increments of one consumed event. */
    public static Map<String, Long> of(EventEnvelope event, boolean duplicate) {
        Map<String, Long> deltas = new LinkedHashMap<>();
        deltas.put(EVENTS, 1L);
        if (duplicate) {
            deltas.put(DUPLICATES, 1L);
            return deltas;
        }
        if (event.userId() == null || event.userId().isBlank()) {
            deltas.put(WITHOUT_SUBSCRIBER, 1L);
        }
        if (skewed(event)) {
            deltas.put(CLOCK_SKEWED, 1L);
        }
        if (event.type() == EventType.TRACK && event.event() != null && !CANONICAL.contains(event.event())) {
            deltas.put(UNKNOWN_NAMES, 1L);
        }
        if (event.type() == EventType.TRACK && CanonicalEvents.EMAIL_OPENED.equals(event.event())) {
            deltas.put(OPENS, 1L);
            if (event.properties() != null && ActivityCounter.isMachineOpen(event.properties())) {
                deltas.put(MACHINE_OPENS, 1L);
            }
        }
        return deltas;
    }

    static boolean skewed(EventEnvelope event) {
        if (event.receivedAt() == null) {
            return false;
        }
        if (event.sentAt() != null
                && Duration.between(event.sentAt(), event.receivedAt()).abs().compareTo(SKEW_TOLERANCE) > 0) {
            return true;
        }
        return event.timestamp() != null
                && Duration.between(event.receivedAt(), event.timestamp()).compareTo(SKEW_TOLERANCE) > 0;
    }

    /**
     * The report: the counters, the profiles with no action of their own (a human open, a click, a
     * reply, a page or product view, an order; sends and machine opens don't count) in
     * {@link #INACTIVE_DAYS} days, or none since they were first seen that long ago, and the
     * share of machine opens among all opens (0 without opens).
     */
    public record Report(Map<String, Long> counters, long profiles, long profilesInactive180d,
            double machineOpenShare) {
    }

    public static double machineOpenShare(Map<String, Long> counters) {
        long opens = counters.getOrDefault(OPENS, 0L);
        return opens == 0 ? 0.0 : (double) counters.getOrDefault(MACHINE_OPENS, 0L) / opens;
    }
}
