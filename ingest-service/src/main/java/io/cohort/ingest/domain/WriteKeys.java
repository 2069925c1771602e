package io.cohort.ingest.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Write keys: how they are made, stored (SHA-256, never the key itself) and read from a request.
 * Segment and RudderStack libraries send the key as the HTTP Basic username with an empty password.
 */
public final class WriteKeys {

    /** Recognisable prefix of a client key, so a leaked key is easy to spot in code or logs scanners. */
    public static final String PREFIX = WriteKeyKind.CLIENT.prefix();
    private static final SecureRandom RANDOM = new SecureRandom();

    private WriteKeys() {
    }

    /** A new client key: the prefix and 256 random bits, URL-safe. */
    public static String generate() {
        return generate(WriteKeyKind.CLIENT);
    }

    /** A new key of this kind: its prefix ({@code ck_}, {@code sk_}) and 256 random bits, URL-safe. */
    public static String generate(WriteKeyKind kind) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return kind.prefix() + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Lower-case hex SHA-256 of the key, what the database keeps. */
    public static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The username of an {@code Authorization: Basic ...} header, if it is one and not blank. */
    public static Optional<String> basicUsername(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        String username = colon >= 0 ? decoded.substring(0, colon) : decoded;
        return username.isBlank() ? Optional.empty() : Optional.of(username);
    }
}
