package io.cohort.ingest.api;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A write key presented where a server key may stand in for a token ({@link WriteKeyMechanism}). */
public final class WriteKeyRequest extends BaseAuthenticationRequest {

    private final String key;

    public WriteKeyRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    @Override
    public String toString() {
        // never the key itself
        return "WriteKeyRequest";
    }
}
