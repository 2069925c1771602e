package io.cohort.model.api;

/**
 * Body of {@code POST /v1/models/{propensity family}/versions:train}; every field optional.
 *
 * @param asOf holdout cutoff (ISO-8601 instant; default: start of today (UTC) minus the horizon,
 *             the latest cutoff whose outcome window has fully elapsed)
 * @param trainingCutoffs how many earlier cutoffs, one horizon apart, are stacked into the training
 *                        rows (1..12, default 4)
 * @param epochs SGD epochs (1..100, default 10)
 * @param seed SGD seed (default 42)
 * @param autoActivate activate when the candidate beats the active version on the holdout (default
 *                     true); false keeps it a candidate
 * @param algorithm {@code logistic} (default) or {@code xgboost}
 */
public record PropensityTrainRequest(String asOf, Integer trainingCutoffs, Integer epochs, Long seed,
        Boolean autoActivate, String algorithm) {

    /** Every parameter a propensity training body may hold. */
    public static final java.util.Set<String> PARAMETERS =
            java.util.Set.of("asOf", "trainingCutoffs", "epochs", "seed", "autoActivate", "algorithm");

    /** Reads the parameters of a validated body (types checked by {@code fields}). */
    static PropensityTrainRequest of(BodyFields fields) {
        return new PropensityTrainRequest(fields.text("asOf"), fields.integer("trainingCutoffs"),
                fields.integer("epochs"), fields.integral("seed"), fields.bool("autoActivate"), fields.text("algorithm"));
    }
}
