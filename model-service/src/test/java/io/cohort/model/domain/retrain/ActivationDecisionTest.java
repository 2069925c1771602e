package io.cohort.model.domain.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When a version trained on request becomes active: first, or strictly better than the active one. */
class ActivationDecisionTest {

    @Test
    void theFirstVersionIsActivatedUnlessTheCallerSaysNo() {
        assertTrue(ActivationDecision.first(true).activated());
        assertNull(ActivationDecision.first(true).activeVersion());
        assertFalse(ActivationDecision.first(false).activated());
    }

    @Test
    void onlyAStrictlyBetterCandidateIsActivated() {
        ActivationDecision better = ActivationDecision.compared(3, new RetrainComparison("silhouette", 0.8, 0.7), true);
        assertTrue(better.activated());
        assertEquals(3, better.activeVersion());
        assertTrue(better.reason().startsWith("activated"), better.reason());
        ActivationDecision equal = ActivationDecision.compared(3, new RetrainComparison("silhouette", 0.7, 0.7), true);
        assertFalse(equal.activated());
        assertTrue(equal.reason().startsWith("kept as candidate"), equal.reason());
        assertFalse(ActivationDecision.compared(3, new RetrainComparison("silhouette", 0.8, 0.7), false).activated());
    }

    @Test
    void aNumberBeatsNoNumberAndNoNumberNeverWins() {
        assertTrue(ActivationDecision.compared(1, new RetrainComparison("logLikelihood", -10, Double.NaN), true)
                .activated());
        ActivationDecision nan = ActivationDecision.compared(1, new RetrainComparison("logLikelihood", Double.NaN,
                -10), true);
        assertFalse(nan.activated());
        assertNull(nan.candidate(), "JSON has no NaN");
    }
}
