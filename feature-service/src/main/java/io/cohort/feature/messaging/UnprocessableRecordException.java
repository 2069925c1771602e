package io.cohort.feature.messaging;

/**
 * A record that can never be applied as it is: unreadable JSON, no value, or an envelope without
 * what ingest always writes (message id, subscriber key). It goes to the dead-letter topic.
 */
public class UnprocessableRecordException extends RuntimeException {

    public UnprocessableRecordException(String message) {
        super(message);
    }

    public UnprocessableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
