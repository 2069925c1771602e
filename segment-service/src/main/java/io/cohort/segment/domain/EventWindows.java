package io.cohort.segment.domain;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.FeatureNames;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * "Event count in a window" predicates ({@code {"event":"Email Opened","withinDays":30,"op":"gte","value":2}})
 * are written over the windowed counts feature-service already keeps: each supported
 * (event, days) pair is exactly one feature, and the condition is stored and evaluated as a test of
 * that feature. Windows feature-service does not count are refused with the ones it does.
 */
public final class EventWindows {

    /** event name → (window days → feature name), in a stable order for error messages. */
    static final Map<String, TreeMap<Integer, String>> MAPPING = new LinkedHashMap<>();

    static {
        put(CanonicalEvents.EMAIL_SENT, 7, FeatureNames.EMAILS_SENT_7D);
        put(CanonicalEvents.EMAIL_SENT, 30, FeatureNames.EMAILS_SENT_30D);
        put(CanonicalEvents.EMAIL_SENT, 90, FeatureNames.EMAILS_SENT_90D);
        put(CanonicalEvents.EMAIL_DELIVERED, 30, FeatureNames.EMAILS_DELIVERED_30D);
        put(CanonicalEvents.EMAIL_OPENED, 7, FeatureNames.EMAILS_OPENED_7D);
        put(CanonicalEvents.EMAIL_OPENED, 30, FeatureNames.EMAILS_OPENED_30D);
        put(CanonicalEvents.EMAIL_OPENED, 90, FeatureNames.EMAILS_OPENED_90D);
        put(CanonicalEvents.EMAIL_LINK_CLICKED, 7, FeatureNames.EMAILS_CLICKED_7D);
        put(CanonicalEvents.EMAIL_LINK_CLICKED, 30, FeatureNames.EMAILS_CLICKED_30D);
        put(CanonicalEvents.EMAIL_LINK_CLICKED, 90, FeatureNames.EMAILS_CLICKED_90D);
        put(CanonicalEvents.EMAIL_REPLIED, 30, FeatureNames.EMAILS_REPLIED_30D);
        put(CanonicalEvents.ORDER_COMPLETED, 90, FeatureNames.ORDERS_90D);
        put(CanonicalEvents.ORDER_COMPLETED, 365, FeatureNames.ORDERS_365D);
        put(CanonicalEvents.PRODUCT_VIEWED, 30, FeatureNames.PRODUCT_VIEWS_30D);
    }

    private EventWindows() {
    }

    private static void put(String event, int days, String feature) {
        MAPPING.computeIfAbsent(event, e -> new TreeMap<>()).put(days, feature);
    }

    public static Optional<String> feature(String event, int days) {
        TreeMap<Integer, String> windows = MAPPING.get(event);
        return windows == null ? Optional.empty() : Optional.ofNullable(windows.get(days));
    }

    public static boolean knowsEvent(String event) {
        return MAPPING.containsKey(event);
    }

    /** e.g. "7, 30, 90" for an event. */
    public static String windowsOf(String event) {
        return String.join(", ", MAPPING.get(event).keySet().stream().map(String::valueOf).toList());
    }

    public static String events() {
        return String.join(", ", MAPPING.keySet());
    }

    /** The mapping as documentation: event → window days → feature. */
    public static Map<String, Map<Integer, String>> table() {
        Map<String, Map<Integer, String>> copy = new LinkedHashMap<>();
        MAPPING.forEach((event, windows) -> copy.put(event, Map.copyOf(windows)));
        return copy;
    }
}
