package io.cohort.feature.domain;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What one event says about sends (engaged sends of the last 5) and accounts (ABM). Pure. */
public final class EventSignals {

    private static final int MAX_KEY_LENGTH = 200;

    private EventSignals() {
    }

    /**
     * A send, or an engagement with one. The send key is {@code properties.emailId}, else
     * {@code email_id}, else {@code campaignId}, else {@code campaign_id}; a send without any of them
     * is keyed by its message id (no open can then be matched to it).
     *
     * @param send    an 'Email Sent' or 'Email Delivered' (both describe the same send)
     * @param engaged a human 'Email Opened' (machine opens excluded) or an 'Email Link Clicked'
     */
    public record SendSignal(String key, boolean send, boolean engaged) {
    }

    public static Optional<SendSignal> send(EventEnvelope event) {
        if (event.type() != EventType.TRACK || event.event() == null) {
            return Optional.empty();
        }
        Map<String, Object> properties = event.properties() == null ? Map.of() : event.properties();
        String key = sendKey(properties);
        return switch (event.event()) {
            case CanonicalEvents.EMAIL_SENT, CanonicalEvents.EMAIL_DELIVERED ->
                    Optional.of(new SendSignal(key != null ? key : "message:" + event.messageId(), true, false));
            case CanonicalEvents.EMAIL_OPENED -> key == null || ActivityCounter.isMachineOpen(properties)
                    ? Optional.empty() : Optional.of(new SendSignal(key, false, true));
            case CanonicalEvents.EMAIL_LINK_CLICKED -> key == null ? Optional.empty()
                    : Optional.of(new SendSignal(key, false, true));
            default -> Optional.empty();
        };
    }

    static String sendKey(Map<String, Object> properties) {
        for (String name : new String[] {"emailId", "email_id", "campaignId", "campaign_id"}) {
            Object value = properties.get(name);
            if (value instanceof String text && !text.isBlank()) {
                return truncate(name.startsWith("email") ? "email:" + text.trim() : "campaign:" + text.trim());
            }
            if (value instanceof Number number) {
                return (name.startsWith("email") ? "email:" : "campaign:") + number;
            }
        }
        return null;
    }

    /**
     * A group call's account facts: the traits as given (never logged), the parsed tier and target.
     */
    public record AccountTraits(String accountId, Map<String, Object> traits, Integer tier, boolean target) {
    }

    public static Optional<AccountTraits> accountTraits(EventEnvelope event) {
        if (event.type() != EventType.GROUP || event.accountId() == null || event.accountId().isBlank()) {
            return Optional.empty();
        }
        Map<String, Object> traits = event.traits() == null ? Map.of() : event.traits();
        return Optional.of(new AccountTraits(event.accountId(), traits, AccountRollup.tierOf(traits.get("tier")),
                AccountRollup.targetOf(traits.get("target"))));
    }

    /**
     * An 'Intent Signal' on its UTC day: {@code properties.topic} trimmed and lower-cased ("unknown"
     * when missing), {@code properties.strength} (a number, else 0). The account is the event's own
     * {@code accountId}, else the subscriber's linked account (resolved by the caller).
     */
    public record IntentSignal(LocalDate day, String topic, BigDecimal strength) {
    }

    public static Optional<IntentSignal> intent(EventEnvelope event, Instant occurredAt) {
        if (event.type() != EventType.TRACK || !CanonicalEvents.INTENT_SIGNAL.equals(event.event())) {
            return Optional.empty();
        }
        Map<String, Object> properties = event.properties() == null ? Map.of() : event.properties();
        String topic = properties.get("topic") instanceof String t && !t.isBlank()
                ? truncate(t.trim().toLowerCase(Locale.ROOT)) : "unknown";
        BigDecimal strength = properties.get("strength") instanceof Number n && Double.isFinite(n.doubleValue())
                ? new BigDecimal(n.toString()) : BigDecimal.ZERO;
        return Optional.of(new IntentSignal(LocalDate.ofInstant(occurredAt, ZoneOffset.UTC), topic, strength));
    }

    private static String truncate(String value) {
        return value.length() > MAX_KEY_LENGTH ? value.substring(0, MAX_KEY_LENGTH) : value;
    }
}
