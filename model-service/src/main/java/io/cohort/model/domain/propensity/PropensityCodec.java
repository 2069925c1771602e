package io.cohort.model.domain.propensity;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How a propensity version is stored: the Tribuo protobuf model as the artifact, and what scoring
 * needs around it (score name, standardiser, Platt scaling) as the version's preprocessing JSON.
 */
public final class PropensityCodec {

    /** The preprocessing document of a propensity version. */
    public record Preprocessing(String scoreName, Standardiser standardiser, PlattScaling platt) {
    }

    private PropensityCodec() {
    }

    public static Preprocessing preprocessing(PropensityModel model) {
        return new Preprocessing(model.scoreName(), model.standardiser(), model.platt());
    }

    public static PropensityModel load(byte[] artifact, String preprocessingJson, ObjectMapper json) {
        try {
            Preprocessing p = json.readValue(preprocessingJson, Preprocessing.class);
            return new PropensityModel(p.scoreName(), p.standardiser(), PropensityModel.readArtifact(artifact),
                    p.platt());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored propensity preprocessing is not readable", e);
        }
    }
}
