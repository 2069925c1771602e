package io.cohort.model.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.model.domain.ModelFamilies;
import io.cohort.model.domain.SubscriberPredictor;
import io.cohort.model.domain.clv.ClvTrainer;
import io.cohort.model.domain.propensity.PropensityCodec;
import io.cohort.model.domain.propensity.PropensityFamilies;

/** Loads the stored artifact (and preprocessing) of a scoring family back into its predictor. */
final class PredictorCodec {

    private PredictorCodec() {
    }

    static SubscriberPredictor load(String family, byte[] artifact, String preprocessing, ObjectMapper json) {
        if (ModelFamilies.CLV_BTYD.equals(family)) {
            return ClvTrainer.load(artifact);
        }
        if (ModelFamilies.SENDTIME.equals(family)) {
            return io.cohort.model.domain.sendtime.SendTimeTrainer.load(artifact);
        }
        if (PropensityFamilies.find(family).isPresent()) {
            return PropensityCodec.load(artifact, preprocessing, json);
        }
        throw new IllegalStateException("no predictor codec for family " + family);
    }
}
