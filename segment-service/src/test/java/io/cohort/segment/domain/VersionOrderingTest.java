package io.cohort.segment.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionOrderingTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);

    @Test
    void featuresApplyOnlyWhenStrictlyNewer() {
        SubscriberView empty = SubscriberView.empty("s");
        assertTrue(empty.acceptsFeatureVersion(0));
        SubscriberView v5 = empty.withFeatures(5, Map.of());
        assertTrue(v5.acceptsFeatureVersion(6));
        assertFalse(v5.acceptsFeatureVersion(5), "a redelivered record changes nothing");
        assertFalse(v5.acceptsFeatureVersion(4), "an older record changes nothing");
    }

    @Test
    void scoresOrderByFeatureVersionThenScoredAtThenClusterModel() {
        ScoreVersion stored = new ScoreVersion(5, T0, 2);
        assertTrue(new ScoreVersion(5, T0, 2).isNewerThan(null));
        assertTrue(new ScoreVersion(6, T0, 2).isNewerThan(stored));
        assertTrue(new ScoreVersion(5, T1, 2).isNewerThan(stored));
        assertTrue(new ScoreVersion(5, T0, 3).isNewerThan(stored), "a newer clustering model re-scores the same vector");
        assertTrue(new ScoreVersion(4, T0, 3).isNewerThan(stored), "a higher cluster model version wins");
        assertFalse(new ScoreVersion(5, T0, 2).isNewerThan(stored), "the same record again changes nothing");
        assertFalse(new ScoreVersion(4, T1, 2).isNewerThan(stored));
        assertFalse(new ScoreVersion(5, T0.minusSeconds(1), 2).isNewerThan(stored));
        assertFalse(new ScoreVersion(5, T0, 1).isNewerThan(stored));
        assertFalse(new ScoreVersion(5, T0, null).isNewerThan(stored));
        assertTrue(new ScoreVersion(5, T0, 1).isNewerThan(new ScoreVersion(5, T0, null)));
    }
}
