package io.cohort.model.domain.propensity;

import io.cohort.contracts.ScoreNames;
import io.cohort.model.domain.ModelFamilies;
import java.util.Map;
import java.util.Optional;

/**
 * The 0/1-outcome families: which feature-service training-set label and horizon each learns, and
 * the score it publishes (named like the family).
 */
public final class PropensityFamilies {

    /**
     * @param family model family
     * @param label feature-service training-set label
     * @param horizonDays days after the cutoff in which the outcome is observed
     * @param scoreName published score
     */
    public record Definition(String family, String label, int horizonDays, String scoreName) {
    }

    public static final Map<String, Definition> ALL = Map.of(
            ModelFamilies.PROPENSITY_CLICKED_7D,
            new Definition(ModelFamilies.PROPENSITY_CLICKED_7D, "clicked", 7, ScoreNames.PROPENSITY_CLICKED_7D),
            ModelFamilies.PROPENSITY_ORDERED_7D,
            new Definition(ModelFamilies.PROPENSITY_ORDERED_7D, "ordered", 7, ScoreNames.PROPENSITY_ORDERED_7D),
            ModelFamilies.PROPENSITY_UNSUBSCRIBED_7D,
            new Definition(ModelFamilies.PROPENSITY_UNSUBSCRIBED_7D, "unsubscribed", 7,
                    ScoreNames.PROPENSITY_UNSUBSCRIBED_7D),
            ModelFamilies.CHURN_90D,
            new Definition(ModelFamilies.CHURN_90D, "churned", 90, ScoreNames.CHURN_90D));

    private PropensityFamilies() {
    }

    public static Optional<Definition> find(String family) {
        return Optional.ofNullable(ALL.get(family));
    }
}
