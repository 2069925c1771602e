package io.cohort.model.domain;

/**
 * A trained non-clustering version, as the registry stores it: JSON-able documents plus the
 * artifact bytes (a Tribuo protobuf, or for non-Tribuo models the parameters as JSON).
 *
 * @param rows training rows
 * @param hyperparameters how it was trained
 * @param metrics holdout (or fit) metrics
 * @param preprocessing what scoring needs to turn features into model inputs
 * @param profile what the model learnt, for people (parameters, coefficients)
 * @param provenance Tribuo provenance, or an equivalent JSON document for other models
 * @param artifact serialised model
 * @param predictor the loaded model for scoring
 */
public record TrainedModel(int rows, Object hyperparameters, Object metrics, Object preprocessing, Object profile,
        String provenance, byte[] artifact, SubscriberPredictor predictor) {
}
