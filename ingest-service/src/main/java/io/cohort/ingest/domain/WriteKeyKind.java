package io.cohort.ingest.domain;

import io.cohort.support.security.Scopes;
import java.util.Locale;
import java.util.Set;

/**
 * What a write key may do. A {@code client} key is public (it sits in browser and app code): tracking
 * calls only. A {@code server} key stays on a back end and may also be granted {@code privacy:write}
 * (erasure, consent) and {@code imports:write} (CSV imports), the only scopes a key can ever hold;
 * everything else takes a bearer token.
 */
public enum WriteKeyKind {
    CLIENT("ck_"),
    SERVER("sk_");

    /** The scopes a server key may be granted. */
    public static final Set<String> GRANTABLE_SCOPES = Set.of(Scopes.PRIVACY_WRITE, Scopes.IMPORTS_WRITE);

    private final String prefix;

    WriteKeyKind(String prefix) {
        this.prefix = prefix;
    }

    /** The key's recognisable prefix: a secret scanner can tell a leaked server key from a public one. */
    public String prefix() {
        return prefix;
    }

    /** {@code client} or {@code server}, as stored and in the API. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind with this wire name, or null. */
    public static WriteKeyKind parse(String wireName) {
        for (WriteKeyKind kind : values()) {
            if (kind.wireName().equals(wireName)) {
                return kind;
            }
        }
        return null;
    }
}
