package io.cohort.feature.domain;

import java.time.Instant;

/**
 * The profile facts the calculator needs besides the daily aggregates.
 *
 * @param firstSeen    earliest event time seen for the subscriber (null: unknown, tenure absent)
 * @param lastOpenAt   latest human open, or null
 * @param lastClickAt  latest click, or null
 * @param lastOrderAt  latest order, or null
 * @param unsubscribed an {@code Unsubscribed} event was seen (sticky until erasure)
 * @param complained   an {@code Email Marked as Spam} event was seen (sticky until erasure)
 * @param hardBounced  a hard/permanent {@code Email Bounced} was seen (sticky until erasure)
 * @param emailConsent false only when the latest {@code Consent Updated} for channel email revoked it
 */
public record SubscriberState(Instant firstSeen, Instant lastOpenAt, Instant lastClickAt, Instant lastOrderAt,
        boolean unsubscribed, boolean complained, boolean hardBounced, boolean emailConsent) {

    /** A subscriber about whom only the last open is known (not suppressed, consent not revoked). */
    public static SubscriberState openedAt(Instant lastOpenAt) {
        return new SubscriberState(null, lastOpenAt, null, null, false, false, false, true);
    }

    public boolean suppressed() {
        return unsubscribed || complained || hardBounced || !emailConsent;
    }
}
