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
        DailyActivity base = countEvent(event, occurredAt);
        Map<String, Object> properties = event.properties() == null ? Map.of() : event.properties();
        Device device = device(event.context());
        if (device == Device.MOBILE) {
            base = base.withDevices(1, 0);
        } else if (device == Device.DESKTOP) {
            base = base.withDevices(0, 1);
        }
        Map<String, Long> categories = categories(event, properties);
        if (!categories.isEmpty()) {
            base = base.withCategories(categories);
        }
        if (base.opened() > 0 || base.clicked() > 0) {
            // hour of the UTC day; with the day's weekday this gives the hour of the week
            base = base.withEngagementHours(Map.of(occurredAt.atZone(ZoneOffset.UTC).getHour(), 1L));
        }
        return base;
    }

    /** The device class an event came from, when its context tells. */
    public enum Device { MOBILE, DESKTOP, UNKNOWN }

    private static final java.util.Set<String> MOBILE_TYPES = java.util.Set.of("mobile", "phone", "smartphone",
            "tablet", "ios", "android", "ipad", "iphone");
    private static final java.util.Set<String> DESKTOP_TYPES = java.util.Set.of("desktop", "computer", "pc",
            "laptop", "mac", "macos", "windows", "linux");
    private static final int MAX_CATEGORY_LENGTH = 64;
    private static final int MAX_CATEGORIES_PER_EVENT = 20;

    /**
     * {@code context.device.type} when it names a mobile (mobile, phone, smartphone, tablet, ios,
     * android, ipad, iphone) or desktop (desktop, computer, pc, laptop, mac, macos, windows, linux)
     * class, ignoring case; else {@code context.userAgent}: mobile when it contains "mobi",
     * "android", "iphone" or "ipad" (ignoring case), desktop when it is any other non-blank text;
     * else unknown.
     */
    public static Device device(Map<String, Object> context) {
        if (context == null) {
            return Device.UNKNOWN;
        }
        if (context.get("device") instanceof Map<?, ?> deviceInfo && deviceInfo.get("type") instanceof String type) {
            String lower = type.trim().toLowerCase(java.util.Locale.ROOT);
            if (MOBILE_TYPES.contains(lower)) {
                return Device.MOBILE;
            }
            if (DESKTOP_TYPES.contains(lower)) {
                return Device.DESKTOP;
            }
        }
        if (context.get("userAgent") instanceof String agent && !agent.isBlank()) {
            String lower = agent.toLowerCase(java.util.Locale.ROOT);
            return lower.contains("mobi") || lower.contains("android") || lower.contains("iphone")
                    || lower.contains("ipad") ? Device.MOBILE : Device.DESKTOP;
        }
        return Device.UNKNOWN;
    }

    /**
     * Category counts of a 'Product Viewed' ({@code properties.category}) or an 'Order Completed'
     * (each of {@code properties.products[].category}, else {@code properties.category}): trimmed,
     * lower-cased, at most 64 characters, at most 20 per event.
     */
    static Map<String, Long> categories(EventEnvelope event, Map<String, Object> properties) {
        if (event.type() != EventType.TRACK || event.event() == null) {
            return Map.of();
        }
        java.util.List<Object> raw = new java.util.ArrayList<>();
        if (CanonicalEvents.PRODUCT_VIEWED.equals(event.event())) {
            raw.add(properties.get("category"));
        } else if (CanonicalEvents.ORDER_COMPLETED.equals(event.event())) {
            if (properties.get("products") instanceof java.util.List<?> products && !products.isEmpty()) {
                for (Object product : products) {
                    if (product instanceof Map<?, ?> p) {
                        raw.add(p.get("category"));
                    }
                }
            } else {
                raw.add(properties.get("category"));
            }
        }
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (Object value : raw) {
            if (value instanceof String text && !text.isBlank() && counts.size() < MAX_CATEGORIES_PER_EVENT) {
                String key = text.trim().toLowerCase(java.util.Locale.ROOT);
                if (key.length() > MAX_CATEGORY_LENGTH) {
                    key = key.substring(0, MAX_CATEGORY_LENGTH);
                }
                counts.merge(key, 1L, Long::sum);
            }
        }
        return counts;
    }

    private static DailyActivity countEvent(EventEnvelope event, Instant occurredAt) {
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
            case CanonicalEvents.EMAIL_OPENED -> isMachineOpen(properties)
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

    /** Ingest marks opens by privacy proxies and scanners with {@code properties.machineOpen = true}. */
    public static boolean isMachineOpen(Map<String, Object> properties) {
        Object flag = properties.get("machineOpen");
        return Boolean.TRUE.equals(flag) || "true".equals(flag);
    }

    /**
     * A page view is a pricing or comparison page when its name (the call's {@code name}, else
     * {@code properties.name}), {@code properties.category}, {@code properties.url},
     * {@code properties.path} or {@code properties.title} contains "pricing" or "compar"
     * (comparison, compare), ignoring case.
     */
    public static boolean isPricingOrComparisonPage(EventEnvelope event, Map<String, Object> properties) {
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
