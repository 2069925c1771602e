package io.cohort.segment.messaging;

/**
 * A record that can never be applied as it is (not readable as the topic's schema, no key, a key
 * that disagrees with the value): a permanent failure, so it is dead-lettered. The message says
 * what is wrong in general terms, never the record's content.
 */
public class UnusableRecordException extends RuntimeException {

    public UnusableRecordException(String message) {
        super(message, null, false, false);
    }

    public UnusableRecordException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
