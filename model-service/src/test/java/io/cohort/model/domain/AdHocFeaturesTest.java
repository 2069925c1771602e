package io.cohort.model.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.http.FieldViolation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdHocFeaturesTest {

    @Test
    void knownNumericFeaturesAreKeptAndNullsLeftOut() {
        Map<String, Object> features = new HashMap<>();
        features.put(FeatureNames.EMAILS_OPENED_30D, 3);
        features.put(FeatureNames.DAYS_SINCE_LAST_OPEN, null);
        var parsed = AdHocFeatures.parse(Map.of("features", features));
        assertTrue(parsed.errors().isEmpty());
        assertEquals(Map.of(FeatureNames.EMAILS_OPENED_30D, 3.0), parsed.features());
    }

    @Test
    void everyBadEntryIsNamedByPointer() {
        Map<String, Object> features = new java.util.LinkedHashMap<>();
        features.put("nope", 1);
        features.put(FeatureNames.ORDERS_90D, "two");
        features.put(FeatureNames.REVENUE_90D, Double.NaN);
        var parsed = AdHocFeatures.parse(Map.of("features", features));
        assertEquals(List.of("/features/nope", "/features/orders_90d", "/features/revenue_90d"),
                parsed.errors().stream().map(FieldViolation::pointer).toList());
        assertTrue(parsed.features().isEmpty(), "nothing is scored from an invalid request");
    }

    @Test
    void theFeaturesObjectIsRequired() {
        assertEquals("/features", AdHocFeatures.parse(Map.of()).errors().get(0).pointer());
        assertEquals("/features", AdHocFeatures.parse(Map.of("features", List.of())).errors().get(0).pointer());
        assertEquals("/", AdHocFeatures.parse(List.of()).errors().get(0).pointer());
    }
}
