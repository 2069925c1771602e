package io.cohort.model.messaging;

/**
 * A record that can never be applied as it is (unreadable, inconsistent, of an unknown schema):
 * a permanent failure, so it is dead-lettered, never retried.
 */
public class UnusableRecord extends RuntimeException {

    public UnusableRecord(String why) {
        super(why, null, false, false);
    }

    public UnusableRecord(String why, Throwable cause) {
        super(why, cause, false, false);
    }
}
