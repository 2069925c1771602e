package io.cohort.feature.api;

import io.cohort.feature.persistence.SubscriberRepository;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Response body of {@code GET /v1/subscribers/{id}/profile}. {@code consent} holds only channels a
 * {@code Consent Updated} event named; email consent counts as granted unless revoked there.
 */
public record SubscriberProfile(String subscriberId, Map<String, Object> traits, Map<String, Consent> consent,
        Suppression suppression, String timezone, String accountId, Instant firstSeen, Instant lastSeen) {

    /** One channel's consent and the event time that set it. */
    public record Consent(boolean granted, Instant updatedAt) {
    }

    /** Suppression state; the moments are the earliest event that set each flag (null when never). */
    public record Suppression(boolean suppressed, boolean unsubscribed, boolean complained, boolean hardBounced,
            boolean emailConsent, Instant unsubscribedAt, Instant complainedAt, Instant hardBouncedAt) {
    }

    static SubscriberProfile of(SubscriberRepository.ProfileView view) {
        Map<String, Consent> consent = new LinkedHashMap<>();
        view.consent().forEach((channel, c) -> consent.put(channel, new Consent(c.granted(), c.updatedAt())));
        boolean emailConsent = !consent.containsKey("email") || consent.get("email").granted();
        boolean unsubscribed = view.unsubscribedAt() != null;
        boolean complained = view.complainedAt() != null;
        boolean hardBounced = view.hardBouncedAt() != null;
        Suppression suppression = new Suppression(unsubscribed || complained || hardBounced || !emailConsent,
                unsubscribed, complained, hardBounced, emailConsent, view.unsubscribedAt(), view.complainedAt(),
                view.hardBouncedAt());
        return new SubscriberProfile(view.subscriberId(), view.traits(), consent, suppression, view.timezone(),
                view.accountId(), view.firstSeen(), view.lastSeen());
    }
}
