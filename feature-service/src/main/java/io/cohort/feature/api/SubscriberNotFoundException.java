package io.cohort.feature.api;

/** No feature vector is held for the requested subscriber; mapped to a 404 problem. */
public class SubscriberNotFoundException extends RuntimeException {

    public SubscriberNotFoundException(String message) {
        super(message, null, false, false);
    }
}
