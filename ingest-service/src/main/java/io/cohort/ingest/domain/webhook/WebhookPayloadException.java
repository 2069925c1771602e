package io.cohort.ingest.domain.webhook;

/** A webhook body that is not what the provider sends (not JSON, wrong shape): 400. */
public class WebhookPayloadException extends RuntimeException {

    private final String pointer;

    public WebhookPayloadException(String pointer, String message) {
        super(message, null, false, false);
        this.pointer = pointer;
    }

    public String pointer() {
        return pointer;
    }
}
