package io.cohort.feature.api;

/** Nothing is known about the requested account; mapped to a 404 problem. */
public class AccountNotFoundException extends RuntimeException {

    public AccountNotFoundException(String message) {
        super(message, null, false, false);
    }
}
