package io.cohort.feature.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileSignalsTest {

    private static final Instant AT = Instant.parse("2026-05-20T10:00:00Z");

    private static EventEnvelope event(EventType type, String name, Map<String, Object> properties,
            Map<String, Object> traits, Map<String, Object> context, String accountId) {
        return new EventEnvelope(1, "m", type, "u", null, accountId, name, null, properties, traits, context, AT,
                null, AT);
    }

    private static ProfileSignals.Change track(String name, Map<String, Object> properties) {
        return ProfileSignals.of(event(EventType.TRACK, name, properties, null, null, null));
    }

    @Test
    void identifyCarriesTraitsTimezoneAndAccount() {
        ProfileSignals.Change change = ProfileSignals.of(event(EventType.IDENTIFY, null, null,
                Map.of("plan", "pro"), Map.of("timezone", "Europe/Berlin"), "acme"));
        assertEquals(Map.of("plan", "pro"), change.traits());
        assertEquals("Europe/Berlin", change.timezone());
        assertEquals("acme", change.accountId());
        assertFalse(change.unsubscribed() || change.complained() || change.hardBounced());
    }

    @Test
    void traitsOfOtherCallsAreNotSubscriberTraits() {
        // a group call's traits describe the account, not the person
        ProfileSignals.Change group = ProfileSignals.of(event(EventType.GROUP, null, null,
                Map.of("industry", "retail"), null, "acme"));
        assertNull(group.traits());
        assertEquals("acme", group.accountId());
        assertNull(ProfileSignals.of(event(EventType.IDENTIFY, null, null, Map.of(), null, null)).traits());
        assertNull(ProfileSignals.of(event(EventType.TRACK, "Email Opened", null, null,
                Map.of("timezone", " "), null)).timezone());
    }

    @Test
    void consentNeedsAChannelAndABooleanGranted() {
        assertEquals(new ProfileSignals.ConsentChange("email", false),
                track(CanonicalEvents.CONSENT_UPDATED, Map.of("channel", "Email", "granted", false)).consent());
        assertEquals(new ProfileSignals.ConsentChange("sms", true),
                track(CanonicalEvents.CONSENT_UPDATED, Map.of("channel", "sms", "granted", true)).consent());
        assertNull(track(CanonicalEvents.CONSENT_UPDATED, Map.of("channel", "email", "granted", "no")).consent());
        assertNull(track(CanonicalEvents.CONSENT_UPDATED, Map.of("granted", false)).consent());
        assertNull(track(CanonicalEvents.EMAIL_OPENED, Map.of("channel", "email", "granted", false)).consent());
    }

    @Test
    void suppressionEvents() {
        assertTrue(track(CanonicalEvents.UNSUBSCRIBED, null).unsubscribed());
        assertTrue(track(CanonicalEvents.EMAIL_MARKED_AS_SPAM, null).complained());
        assertTrue(track(CanonicalEvents.EMAIL_BOUNCED, Map.of("bounceType", "hard")).hardBounced());
        assertTrue(track(CanonicalEvents.EMAIL_BOUNCED, Map.of("bounceType", "Permanent")).hardBounced());
        assertFalse(track(CanonicalEvents.EMAIL_BOUNCED, Map.of("bounceType", "soft")).hardBounced());
        assertFalse(track(CanonicalEvents.EMAIL_BOUNCED, Map.of("bounceType", "Transient")).hardBounced());
        assertFalse(track(CanonicalEvents.EMAIL_BOUNCED, null).hardBounced());
        assertFalse(track(CanonicalEvents.EMAIL_OPENED, Map.of("bounceType", "hard")).hardBounced());
    }

    @Test
    void clicksAndOrdersAreMarked() {
        assertTrue(track(CanonicalEvents.EMAIL_LINK_CLICKED, null).clicked());
        assertTrue(track(CanonicalEvents.ORDER_COMPLETED, null).ordered());
        assertFalse(track(CanonicalEvents.EMAIL_OPENED, null).clicked());
        assertFalse(track(CanonicalEvents.PRODUCT_VIEWED, null).ordered());
    }
}
