package io.cohort.feature.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.FeatureNames;
import io.cohort.feature.domain.FeatureCatalog;
import io.cohort.feature.domain.FeatureDefinition;
import io.cohort.support.streams.StoreBytes;
import java.util.HashSet;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class StateNamesTest {

    @Test
    void everyCatalogueNameHasACodeSoStatesStaySmall() {
        for (FeatureDefinition d : FeatureCatalog.FEATURES) {
            assertTrue(StateNames.NAMES.contains(d.name()), d.name() + ": append it to StateNames.NAMES");
        }
        for (FeatureDefinition d : FeatureCatalog.LABELS) {
            assertTrue(StateNames.NAMES.contains(d.name()), d.name() + ": append it to StateNames.NAMES");
        }
        assertEquals(StateNames.NAMES.size(), new HashSet<>(StateNames.NAMES).size(), "a name listed twice");
    }

    @Test
    void codesAndLiteralsReadBackAsTheSameNames() {
        List<String> names = List.of(FeatureNames.EMAILS_OPENED_30D, FeatureNames.TIMEZONE,
                FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX + 0, FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX + 167,
                FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX + 168, FeatureNames.CATEGORY_SHARE_90D_PREFIX + "shoes",
                "a feature from the future", "");
        StoreBytes.Out out = new StoreBytes.Out(8);
        names.forEach(name -> StateNames.write(out, name));
        byte[] bytes = out.toByteArray();
        StoreBytes.In in = new StoreBytes.In(bytes, 0);
        names.forEach(name -> assertEquals(name, StateNames.read(in)));
        // the first two are one byte each, an hour bin two
        StoreBytes.Out known = new StoreBytes.Out(8);
        StateNames.write(known, FeatureNames.EMAILS_OPENED_30D);
        StateNames.write(known, FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX + 5);
        assertEquals(3, known.toByteArray().length);
    }

    @Test
    void anUnknownCodeIsASerializationError() {
        StoreBytes.Out out = new StoreBytes.Out(4);
        out.writeVarint(StateNames.NAMES.size() + 1);
        assertThrows(SerializationException.class, () -> StateNames.read(new StoreBytes.In(out.toByteArray(), 0)));
    }
}
