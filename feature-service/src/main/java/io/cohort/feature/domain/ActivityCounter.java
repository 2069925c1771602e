package io.cohort.feature.domain;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/** Decides what one event adds to its subscriber's daily aggregate. Pure. */
public final class ActivityCounter {

    private ActivityCounter() {
    }

    /**
     * The increment for the UTC day of {@code occurredAt}. Events that feed no aggregate give an
     * {@linkplain DailyActivity#isEmpty() empty} increment.
     */
    public static DailyActivity count(EventEnvelope event, Instant occurredAt) {
        LocalDate day = LocalDate.ofInstant(occurredAt, ZoneOffset.UTC);
        Map<String, Object> properties = event.properties() == null ? Map.of() : event.properties();
        if (event.type() == EventType.PAGE) {
            return DailyActivity.nothingOn(day).withPageViews(1, isPricingOrComparisonPage(event, properties) ? 1 : 0);
        }
        if (event.type() != EventType.TRACK || event.event() == null) {
            return DailyActivity.nothingOn(day);
        }
        return switch (event.event()) {
            case CanonicalEvents.EMAIL_DELIVERED -> new DailyActivity(day, 1, 0, 0, 0, BigDecimal.ZERO);
            // Apple Mail Privacy Protection and scanners open everything; those opens say nothing about the person
            case CanonicalEvents.EMAIL_OPENED -> Boolean.TRUE.equals(properties.get("machineOpen"))
                    ? DailyActivity.nothingOn(day)
                    : new DailyActivity(day, 0, 1, 0, 0, BigDecimal.ZERO);
            case CanonicalEvents.EMAIL_LINK_CLICKED -> new DailyActivity(day, 0, 0, 1, 0, BigDecimal.ZERO);
            case CanonicalEvents.ORDER_COMPLETED -> new DailyActivity(day, 0, 0, 0, 1, orderRevenue(properties));
            case CanonicalEvents.EMAIL_SENT -> DailyActivity.nothingOn(day).withSent(1);
            case CanonicalEvents.EMAIL_REPLIED -> DailyActivity.nothingOn(day).withReplied(1);
            // every bounce counts here; only hard ones suppress (see ProfileSignals)
            case CanonicalEvents.EMAIL_BOUNCED -> DailyActivity.nothingOn(day).withBounced(1);
            case CanonicalEvents.EMAIL_MARKED_AS_SPAM -> DailyActivity.nothingOn(day).withComplaints(1);
            case CanonicalEvents.UNSUBSCRIBED -> DailyActivity.nothingOn(day).withUnsubscribes(1);
            case CanonicalEvents.PRODUCT_VIEWED -> DailyActivity.nothingOn(day).withProductViews(1);
            default -> DailyActivity.nothingOn(day);
        };
    }

    /**
     * A page view is a pricing or comparison page when its name (the call's {@code name}, else
     * {@code properties.name}), {@code properties.category}, {@code properties.url},
     * {@code properties.path} or {@code properties.title} contains "pricing" or "compar"
     * (comparison, compare), ignoring case.
     */
    static boolean isPricingOrComparisonPage(EventEnvelope event, Map<String, Object> properties) {
        for (Object value : new Object[] {event.name(), properties.get("name"), properties.get("category"),
                properties.get("url"), properties.get("path"), properties.get("title")}) {
            if (value instanceof String text) {
                String lower = text.toLowerCase(java.util.Locale.ROOT);
                if (lower.contains("pricing") || lower.contains("compar")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Segment's {@code revenue}, else the order {@code total}, else nothing. */
    static BigDecimal orderRevenue(Map<String, Object> properties) {
        if (properties.get("revenue") instanceof Number revenue) {
            return decimal(revenue);
        }
        if (properties.get("total") instanceof Number total) {
            return decimal(total);
        }
        return BigDecimal.ZERO;
    }

    private static BigDecimal decimal(Number number) {
        if (number instanceof BigDecimal d) {
            return d;
        }
        double value = number.doubleValue();
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return BigDecimal.ZERO;
        }
        // toString keeps the decimal digits as written (12.3, not 12.300000000000000710...)
        return new BigDecimal(number.toString());
    }
}
