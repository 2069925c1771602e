package io.cohort.segment.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgeingAndAlertsTest {

    private static final Instant COMPUTED = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void daysSinceFeaturesGrowByTheUtcMidnightsPassedSinceTheVectorWasComputed() {
        SubscriberView view = SubscriberView.empty("s").withFeatures(1, Map.of("days_since_last_open", 80.0,
                "tenure_days", 300.0, "emails_opened_30d", 0.0), Map.of(), COMPUTED);
        // computed at 10:00 UTC: unchanged until midnight, one more day right after it
        assertSame(view, view.asOf(Instant.parse("2026-03-01T23:59:59Z")));
        assertEquals(81.0, view.asOf(Instant.parse("2026-03-02T00:00:00Z")).features().get("days_since_last_open"));
        SubscriberView later = view.asOf(COMPUTED.plus(Duration.ofDays(10)).plusSeconds(5));
        assertEquals(90.0, later.features().get("days_since_last_open"));
        assertEquals(310.0, later.features().get("tenure_days"));
        assertEquals(0.0, later.features().get("emails_opened_30d"), "window counts do not age here");
        assertSame(view, view.asOf(COMPUTED.minusSeconds(60)), "a clock behind the vector changes nothing");
        SubscriberView unknownTime = SubscriberView.empty("s").withFeatures(1, Map.of("days_since_last_open", 1.0));
        assertSame(unknownTime, unknownTime.asOf(COMPUTED));

        Condition lapsed = new Condition.Compare("days_since_last_open", Operator.GTE, 90);
        assertFalse(ConditionEvaluator.test(lapsed, view.asOf(COMPUTED.plus(Duration.ofDays(9)))));
        assertTrue(ConditionEvaluator.test(lapsed, view.asOf(COMPUTED.plus(Duration.ofDays(10)))));
    }

    @Test
    void suppressionHasEveryCause() {
        assertFalse(Suppression.isSuppressed(Map.of()));
        assertFalse(Suppression.isSuppressed(Map.of("suppressed", 0.0, "email_consent", 1.0)));
        assertTrue(Suppression.isSuppressed(Map.of("suppressed", 1.0)));
        assertTrue(Suppression.isSuppressed(Map.of("hard_bounced", 1.0)));
        assertTrue(Suppression.isSuppressed(Map.of("email_consent", 0.0)));
    }

    @Test
    void sizeAlertsNeedARelativeAndAnAbsoluteChange() {
        assertTrue(SizeAlert.exceeds(100, 151, 0.5, 10));
        assertFalse(SizeAlert.exceeds(100, 150, 0.5, 10), "exactly the share is not more than it");
        assertTrue(SizeAlert.exceeds(100, 40, 0.5, 10));
        assertFalse(SizeAlert.exceeds(4, 12, 0.5, 10), "small segments need the minimum change");
        assertTrue(SizeAlert.exceeds(0, 10, 0.5, 10));
        assertFalse(SizeAlert.exceeds(0, 0, 0.5, 0));
    }
}
