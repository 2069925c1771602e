package io.cohort.devstack.sample;

/**
 * The behaviour groups the sample audience is drawn from. They are far apart on purpose, so the
 * expected segment memberships and clusters are known exactly and a test can assert them.
 */
public enum Persona {
    /** Opens and clicks most sends, ordered three times in the last 90 days. */
    ENGAGED_BUYER,
    /** Opens regularly, never clicks or buys. */
    READER,
    /** Receives every send, last opened 45–60 days ago (or never). */
    DORMANT
}
