package io.cohort.feature.domain;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import java.util.Locale;
import java.util.Map;

/** Decides what one event changes in its subscriber's profile (not in the daily aggregates). Pure. */
public final class ProfileSignals {

    private ProfileSignals() {
    }

    /**
     * What the event says about the profile.
     *
     * @param traits       identify traits to merge (key by key, the later processed call wins), or null
     * @param timezone     {@code context.timezone} when the event carries one, else null
     * @param accountId    the account the event names ({@code groupId} of a group call, or
     *                     {@code accountId}/{@code context.groupId} of any call), else null
     * @param consent      a consent change ({@code Consent Updated} with a channel and a boolean
     *                     {@code granted}), else null
     * @param unsubscribed an {@code Unsubscribed} event
     * @param complained   an {@code Email Marked as Spam} event
     * @param hardBounced  an {@code Email Bounced} whose {@code properties.bounceType} is hard or permanent
     * @param clicked      an {@code Email Link Clicked} event (for days since last click)
     * @param ordered      an {@code Order Completed} event (for days since last order)
     */
    public record Change(Map<String, Object> traits, String timezone, String accountId, ConsentChange consent,
            boolean unsubscribed, boolean complained, boolean hardBounced, boolean clicked, boolean ordered) {
    }

    /** One channel's consent as an event set it. */
    public record ConsentChange(String channel, boolean granted) {
    }

    public static Change of(EventEnvelope event) {
        Map<String, Object> properties = event.properties() == null ? Map.of() : event.properties();
        Map<String, Object> traits = event.type() == EventType.IDENTIFY && event.traits() != null
                && !event.traits().isEmpty() ? event.traits() : null;
        String timezone = event.context() != null && event.context().get("timezone") instanceof String tz
                && !tz.isBlank() ? tz : null;
        String accountId = event.accountId() != null && !event.accountId().isBlank() ? event.accountId() : null;
        boolean track = event.type() == EventType.TRACK && event.event() != null;
        String name = track ? event.event() : "";
        ConsentChange consent = null;
        if (CanonicalEvents.CONSENT_UPDATED.equals(name) && properties.get("channel") instanceof String channel
                && !channel.isBlank() && properties.get("granted") instanceof Boolean granted) {
            consent = new ConsentChange(channel.trim().toLowerCase(Locale.ROOT), granted);
        }
        return new Change(traits, timezone, accountId, consent,
                CanonicalEvents.UNSUBSCRIBED.equals(name),
                CanonicalEvents.EMAIL_MARKED_AS_SPAM.equals(name),
                CanonicalEvents.EMAIL_BOUNCED.equals(name) && isHardBounce(properties.get("bounceType")),
                CanonicalEvents.EMAIL_LINK_CLICKED.equals(name),
                CanonicalEvents.ORDER_COMPLETED.equals(name));
    }

    static boolean isHardBounce(Object bounceType) {
        if (!(bounceType instanceof String type)) {
            return false;
        }
        String lower = type.trim().toLowerCase(Locale.ROOT);
        return lower.equals("hard") || lower.equals("permanent");
    }
}
