package io.cohort.feature.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import io.cohort.contracts.FeatureNames;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Engagement shape, device mix, categories, hour of week, lifecycle and labels, with hand-computed values. */
class FeatureShapeTest {

    // a Monday
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final LocalDate TODAY = LocalDate.parse("2026-06-01");
    private static final SubscriberState OLD_SUBSCRIBER = new SubscriberState(NOW.minusSeconds(86_400L * 400),
            null, null, null, false, false, false, true);
    private final FeatureCalculator calculator = new FeatureCalculator();

    private static EventEnvelope track(String event, Map<String, Object> properties, Map<String, Object> context) {
        return new EventEnvelope(1, "m", EventType.TRACK, "u", null, null, event, null, properties, null, context,
                NOW, null, NOW);
    }

    private FeatureCalculator.Vector vector(List<DailyActivity> days) {
        return calculator.compute(days, OLD_SUBSCRIBER, FeatureCalculator.Context.NONE, NOW);
    }

    private static DailyActivity engaged(LocalDate day, long opens) {
        return new DailyActivity(day, 0, opens, 0, 0, BigDecimal.ZERO);
    }

    @Test
    void decaySlopeIsTheLeastSquaresSlopeOfEightWeeklyBuckets() {
        // weeks 0..7 (oldest..current) with 7, 6, ..., 0 engagements: slope exactly -1
        List<DailyActivity> days = new ArrayList<>();
        for (int week = 0; week < 8; week++) {
            long count = 7 - week;
            if (count > 0) {
                // bucket 7 = days 0..6 ago; bucket `week` starts (7 - week) * 7 days ago
                days.add(engaged(TODAY.minusDays((7L - week) * 7 + 6), count));
            }
        }
        assertEquals(-1.0, vector(days).features().get(FeatureNames.ENGAGEMENT_DECAY_SLOPE_8W), 1e-12);
        // one open today only: y = (0,...,0,1): slope = (3.5 * 7/8 - ...) = sum((x-3.5)(y-1/8)) / 42 = 3.5 / 42
        assertEquals(3.5 / 42, vector(List.of(engaged(TODAY, 1))).features()
                .get(FeatureNames.ENGAGEMENT_DECAY_SLOPE_8W), 1e-12);
        // 56 days ago is outside the 8 weeks; 55 days ago is bucket 0: y = (1,0,...,0): slope = -3.5 / 42
        assertEquals(0.0, vector(List.of(engaged(TODAY.minusDays(56), 5))).features()
                .get(FeatureNames.ENGAGEMENT_DECAY_SLOPE_8W), 1e-12);
        assertEquals(-3.5 / 42, vector(List.of(engaged(TODAY.minusDays(55), 1))).features()
                .get(FeatureNames.ENGAGEMENT_DECAY_SLOPE_8W), 1e-12);
    }

    @Test
    void orderFrequencyIsPerThirtyObservedDays() {
        DailyActivity twoOrders = new DailyActivity(TODAY.minusDays(3), 0, 0, 0, 2, BigDecimal.TEN);
        // seen for over a year: 2 orders * 30 / 365
        assertEquals(2 * 30.0 / 365, vector(List.of(twoOrders)).features().get(FeatureNames.ORDER_FREQUENCY_365D),
                1e-12);
        // seen 99.5 days ago: 100 observed days
        SubscriberState recent = new SubscriberState(NOW.minusSeconds(86_400L * 99 + 43_200), null, null, null,
                false, false, false, true);
        assertEquals(2 * 30.0 / 100, calculator.compute(List.of(twoOrders), recent, FeatureCalculator.Context.NONE,
                NOW).features().get(FeatureNames.ORDER_FREQUENCY_365D), 1e-12);
        // seen 5 days ago: at least 30 observed days
        SubscriberState brandNew = new SubscriberState(NOW.minusSeconds(86_400L * 5), null, null, null,
                false, false, false, true);
        assertEquals(2.0, calculator.compute(List.of(twoOrders), brandNew, FeatureCalculator.Context.NONE, NOW)
                .features().get(FeatureNames.ORDER_FREQUENCY_365D), 1e-12);
    }

    @Test
    void deviceMixCategoriesAndProductViewsRespectTheirWindows() {
        DailyActivity inside = DailyActivity.nothingOn(TODAY.minusDays(89)).withDevices(3, 1)
                .withCategories(Map.of("jazz", 3L, "rock", 1L)).withProductViews(4);
        DailyActivity outside = DailyActivity.nothingOn(TODAY.minusDays(90)).withDevices(0, 50)
                .withCategories(Map.of("pop", 9L));
        Map<String, Double> f = vector(List.of(inside, outside)).features();
        assertEquals(0.75, f.get(FeatureNames.MOBILE_SHARE_90D));
        assertEquals(0.75, f.get(FeatureNames.CATEGORY_SHARE_90D_PREFIX + "jazz"));
        assertEquals(0.25, f.get(FeatureNames.CATEGORY_SHARE_90D_PREFIX + "rock"));
        assertFalse(f.containsKey(FeatureNames.CATEGORY_SHARE_90D_PREFIX + "pop"));
        assertEquals(0.0, f.get(FeatureNames.PRODUCT_VIEWS_30D), "89 days ago is outside 30 days");
        assertEquals(4.0, vector(List.of(inside.withProductViews(0),
                DailyActivity.nothingOn(TODAY.minusDays(29)).withProductViews(4))).features()
                .get(FeatureNames.PRODUCT_VIEWS_30D));
        assertFalse(vector(List.of(outside)).features().containsKey(FeatureNames.MOBILE_SHARE_90D));
    }

    @Test
    void deviceComesFromTheDeviceTypeElseTheUserAgent() {
        assertEquals(ActivityCounter.Device.MOBILE, ActivityCounter.device(Map.of("device", Map.of("type", "iOS"))));
        assertEquals(ActivityCounter.Device.DESKTOP, ActivityCounter.device(Map.of("device", Map.of("type", "desktop"))));
        assertEquals(ActivityCounter.Device.MOBILE, ActivityCounter.device(Map.of("userAgent",
                "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36")));
        assertEquals(ActivityCounter.Device.DESKTOP, ActivityCounter.device(Map.of("userAgent",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120 Safari/537.36")));
        assertEquals(ActivityCounter.Device.UNKNOWN, ActivityCounter.device(Map.of("timezone", "Europe/Paris")));
        assertEquals(ActivityCounter.Device.UNKNOWN, ActivityCounter.device(null));
        DailyActivity counted = ActivityCounter.count(track(CanonicalEvents.EMAIL_OPENED, Map.of(),
                Map.of("device", Map.of("type", "mobile"))), NOW);
        assertEquals(1, counted.mobileEvents());
        assertEquals(0, counted.desktopEvents());
    }

    @Test
    void categoriesComeFromProductViewsAndOrderedProducts() {
        DailyActivity viewed = ActivityCounter.count(track(CanonicalEvents.PRODUCT_VIEWED,
                Map.of("category", " Jazz "), null), NOW);
        assertEquals(Map.of("jazz", 1L), viewed.categories());
        assertEquals(1, viewed.productViews());
        DailyActivity ordered = ActivityCounter.count(track(CanonicalEvents.ORDER_COMPLETED, Map.of("revenue", 30,
                "products", List.of(Map.of("category", "Jazz"), Map.of("category", "Rock"), Map.of("category", "jazz"),
                        Map.of("sku", "x"))), null), NOW);
        assertEquals(Map.of("jazz", 2L, "rock", 1L), ordered.categories());
        assertEquals(Map.of("pop", 1L), ActivityCounter.count(track(CanonicalEvents.ORDER_COMPLETED,
                Map.of("category", "POP"), null), NOW).categories());
        assertEquals(Map.of(), ActivityCounter.count(track(CanonicalEvents.EMAIL_OPENED,
                Map.of("category", "jazz"), null), NOW).categories());
    }

    @Test
    void hourOfWeekBinsAreUtcAndSkipMachineOpens() {
        // Sunday 23:30 in New York (UTC-4 in June) is Monday 03:30 UTC: bin 3
        Instant sundayEveningNewYork = OffsetDateTime.parse("2026-05-31T23:30:00-04:00").toInstant();
        EventEnvelope open = track(CanonicalEvents.EMAIL_OPENED, Map.of(), null);
        DailyActivity human = ActivityCounter.count(open, sundayEveningNewYork);
        assertEquals(LocalDate.parse("2026-06-01"), human.day());
        assertEquals(Map.of(3, 1L), human.engagementHours());
        DailyActivity machine = ActivityCounter.count(track(CanonicalEvents.EMAIL_OPENED,
                Map.of("machineOpen", true), null), sundayEveningNewYork);
        assertTrue(machine.isEmpty(), "a machine open counts nowhere");
        // Sunday 2026-05-31 17:00 UTC click: bin 6 * 24 + 17 = 161
        DailyActivity click = ActivityCounter.count(track(CanonicalEvents.EMAIL_LINK_CLICKED, Map.of(), null),
                Instant.parse("2026-05-31T17:00:00Z"));
        Map<String, Double> f = vector(List.of(human, click, human)).features();
        assertEquals(2.0, f.get(FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX + "3"));
        assertEquals(1.0, f.get(FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX + "161"));
        assertEquals(2, f.keySet().stream().filter(k -> k.startsWith(FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX))
                .count(), "only non-zero bins");
        // older than 90 days: no bins
        DailyActivity old = ActivityCounter.count(open, NOW.minusSeconds(86_400L * 90));
        assertTrue(vector(List.of(old)).features().keySet().stream()
                .noneMatch(k -> k.startsWith(FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX)));
    }

    @Test
    void lifecycleStageFollowsTheDocumentedRule() {
        assertEquals("new", calculator.compute(List.of(), new SubscriberState(NOW.minusSeconds(86_400L * 29),
                null, null, null, false, false, false, true), FeatureCalculator.Context.NONE, NOW).labels()
                .get(FeatureNames.LIFECYCLE_STAGE));
        assertEquals("active", stage(engaged(TODAY.minusDays(29), 1)));
        assertEquals("active", stage(new DailyActivity(TODAY.minusDays(89), 0, 0, 0, 1, BigDecimal.ONE)));
        assertEquals("at_risk", stage(engaged(TODAY.minusDays(30), 1)));
        assertEquals("lapsed", stage(engaged(TODAY.minusDays(90), 1)));
        assertEquals("dormant", stage(engaged(TODAY.minusDays(365), 1)));
        assertEquals("dormant", stage(new DailyActivity(TODAY, 5, 0, 0, 0, BigDecimal.ZERO)));
    }

    private String stage(DailyActivity day) {
        String stage = vector(List.of(day)).labels().get(FeatureNames.LIFECYCLE_STAGE);
        assertTrue(FeatureCalculator.LIFECYCLE_STAGES.contains(stage));
        return stage;
    }

    @Test
    void labelsCarryOnlyValidTimeZonesAndTheAccount() {
        FeatureCalculator.Vector v = calculator.compute(List.of(), OLD_SUBSCRIBER,
                new FeatureCalculator.Context(null, 3, null, "acme", "America/New_York"), NOW);
        assertEquals("America/New_York", v.labels().get(FeatureNames.TIMEZONE));
        assertEquals("acme", v.labels().get(FeatureNames.ACCOUNT_ID));
        assertEquals(3.0, v.features().get(FeatureNames.ENGAGED_SENDS_LAST_5));
        assertNull(FeatureCalculator.validZone("Mars/Olympus_Mons"));
        assertNull(FeatureCalculator.validZone(" "));
        assertEquals("+02:00", FeatureCalculator.validZone("+02:00"));
        assertFalse(calculator.compute(List.of(), OLD_SUBSCRIBER,
                new FeatureCalculator.Context(null, null, null, null, "not a zone"), NOW).labels()
                .containsKey(FeatureNames.TIMEZONE));
        assertFalse(vector(List.of()).features().containsKey(FeatureNames.ENGAGED_SENDS_LAST_5));
    }

    @Test
    void accountRollupBecomesTheAccountFeatures() {
        AccountRollup rollup = new AccountRollup("acme", 1, true, 4, 2,
                Map.of("pricing", 2L, "security", 1L), 3, new BigDecimal("1200.50"));
        Map<String, Double> f = calculator.compute(List.of(), OLD_SUBSCRIBER,
                new FeatureCalculator.Context(null, null, rollup, "acme", null), NOW).features();
        assertEquals(1.0, f.get(FeatureNames.ACCOUNT_TIER));
        assertEquals(1.0, f.get(FeatureNames.ACCOUNT_TARGET));
        assertEquals(4.0, f.get(FeatureNames.ACCOUNT_CONTACTS));
        assertEquals(2.0, f.get(FeatureNames.ACCOUNT_ENGAGED_CONTACTS_30D));
        assertEquals(3.0, f.get(FeatureNames.ACCOUNT_INTENT_SIGNALS_30D));
        assertEquals(5.0, f.get(FeatureNames.ACCOUNT_PRICING_INTENT_30D), "2 pricing signals + 3 pricing page views");
        assertEquals(1200.5, f.get(FeatureNames.ACCOUNT_REVENUE_365D));
        assertEquals(2.0, f.get(FeatureNames.ACCOUNT_INTENT_30D_PREFIX + "pricing"));
        assertEquals(1.0, f.get(FeatureNames.ACCOUNT_INTENT_30D_PREFIX + "security"));
        assertEquals(1, AccountRollup.tierOf("Tier 1"));
        assertEquals(2, AccountRollup.tierOf(2));
        assertNull(AccountRollup.tierOf("gold"));
        assertTrue(AccountRollup.targetOf("Yes"));
        assertFalse(AccountRollup.targetOf("no"));
        assertFalse(vector(List.of()).features().containsKey(FeatureNames.ACCOUNT_CONTACTS));
    }

    @Test
    void sendsAndEngagementsAreKeyedByEmailOrCampaign() {
        assertEquals(new EventSignals.SendSignal("campaign:c1", true, false),
                EventSignals.send(track(CanonicalEvents.EMAIL_DELIVERED, Map.of("campaignId", "c1"), null)).orElseThrow());
        assertEquals(new EventSignals.SendSignal("email:e1", false, true),
                EventSignals.send(track(CanonicalEvents.EMAIL_OPENED, Map.of("emailId", "e1", "campaignId", "c1"),
                        null)).orElseThrow());
        assertTrue(EventSignals.send(track(CanonicalEvents.EMAIL_OPENED, Map.of("campaignId", "c1",
                "machineOpen", true), null)).isEmpty(), "machine opens engage nothing");
        assertTrue(EventSignals.send(track(CanonicalEvents.EMAIL_LINK_CLICKED, Map.of(), null)).isEmpty());
        assertEquals("message:m", EventSignals.send(track(CanonicalEvents.EMAIL_SENT, Map.of(), null))
                .orElseThrow().key());
        EventSignals.IntentSignal intent = EventSignals.intent(track(CanonicalEvents.INTENT_SIGNAL,
                Map.of("topic", " Pricing ", "strength", 0.8), null), NOW).orElseThrow();
        assertEquals("pricing", intent.topic());
        assertEquals(0, new BigDecimal("0.8").compareTo(intent.strength()));
        assertEquals(TODAY, intent.day());
    }

    @Test
    void theCatalogueDocumentsEveryNameFamilyAndLabel() {
        assertEquals(FeatureNames.ALL, FeatureCatalog.FEATURES.stream().map(FeatureDefinition::name).toList());
        assertEquals(FeatureNames.PREFIXES.size(), FeatureCatalog.FAMILIES.size());
        for (int i = 0; i < FeatureNames.PREFIXES.size(); i++) {
            assertTrue(FeatureCatalog.FAMILIES.get(i).name().startsWith(FeatureNames.PREFIXES.get(i)));
        }
        assertEquals(FeatureNames.LABELS, FeatureCatalog.LABELS.stream().map(FeatureDefinition::name).toList());
        // every key the calculator can emit is in the catalogue
        AccountRollup rollup = new AccountRollup("a", 1, true, 1, 1, Map.of("t", 1L), 1, BigDecimal.ONE);
        Rfm.Boundaries b = Rfm.boundaries(List.of(new Rfm.Metrics(1L, 1, BigDecimal.ONE)), TODAY);
        DailyActivity busy = new DailyActivity(TODAY, 1, 1, 1, 1, BigDecimal.ONE, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                Map.of("jazz", 1L), Map.of(5, 1L));
        FeatureCalculator.Vector v = calculator.compute(List.of(busy),
                new SubscriberState(NOW.minusSeconds(86_400L * 40), NOW, NOW, NOW, true, true, true, false),
                new FeatureCalculator.Context(b, 1, rollup, "a", "UTC"), NOW);
        v.features().keySet().forEach(name -> assertTrue(FeatureNames.isKnownNumeric(name), name));
        assertEquals(new java.util.HashSet<>(FeatureNames.LABELS), v.labels().keySet());
        assertTrue(v.features().keySet().containsAll(FeatureNames.ALL), "a busy subscriber has every feature");
    }
}
