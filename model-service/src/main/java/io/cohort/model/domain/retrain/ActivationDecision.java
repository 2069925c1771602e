package io.cohort.model.domain.retrain;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Whether a newly trained version of a family trained on snapshots (clustering, clv.btyd, sendtime)
 * becomes active, and why. The rule is the propensity families' one: with an active version, the
 * candidate must beat it strictly on the same rows ({@link RetrainComparison}); the first version of
 * a family has nothing to beat and is activated (training's own 409 checks are its floor). Either
 * way the caller may keep it a candidate ({@code autoActivate} false).
 *
 * @param activeVersion the version it was compared with; null for the first version
 * @param metric what was compared (silhouette, logLikelihood); null for the first version
 * @param candidate the new version's value
 * @param active the active version's value on the same rows
 * @param activated whether the new version became active
 * @param reason in words, for the job stage and the logs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActivationDecision(Integer activeVersion, String metric, Double candidate, Double active,
        boolean activated, String reason) {

    /** The first version of a family. */
    public static ActivationDecision first(boolean autoActivate) {
        return new ActivationDecision(null, null, null, null, autoActivate,
                autoActivate ? "activated: first version of the family" : "kept as candidate (autoActivate false)");
    }

    /** A new version compared with active version {@code activeVersion}. */
    public static ActivationDecision compared(int activeVersion, RetrainComparison comparison, boolean autoActivate) {
        boolean wins = comparison.candidateWins();
        String numbers = String.format(java.util.Locale.ROOT, "%s %.6f vs active %.6f", comparison.metric(),
                comparison.candidate(), comparison.active());
        String reason;
        if (!autoActivate) {
            reason = "kept as candidate (autoActivate false): " + numbers;
        } else if (wins) {
            reason = "activated: " + numbers;
        } else {
            reason = "kept as candidate: does not beat active version " + activeVersion + " (" + numbers + ")";
        }
        return new ActivationDecision(activeVersion, comparison.metric(), finite(comparison.candidate()),
                finite(comparison.active()), autoActivate && wins, reason);
    }

    // JSON has no NaN or infinity; a non-finite value never wins anyway (comparisons with NaN are false)
    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
