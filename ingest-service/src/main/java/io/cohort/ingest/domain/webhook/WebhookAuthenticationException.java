package io.cohort.ingest.domain.webhook;

/** A webhook delivery whose signature (or credentials) did not verify: nothing of it is used. */
public class WebhookAuthenticationException extends RuntimeException {

    public WebhookAuthenticationException(String message) {
        super(message, null, false, false);
    }
}
