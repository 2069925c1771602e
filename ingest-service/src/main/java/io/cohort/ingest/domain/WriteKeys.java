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

    /** Recognisable prefix, so a leaked key is easy to spot in code or logs scanners. */
    public static final String PREFIX = "ck_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WriteKeys() {
    }

    /** A new key: the prefix and 256 random bits, URL-safe. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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

    /** The token of an {@code Authorization: Bearer ...} header, if it is one. */
    public static Optional<String> bearerToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /** Compares secrets in time independent of where they differ. */
    public static boolean sameSecret(String expected, String given) {
        return MessageDigest.isEqual(sha256(expected).getBytes(StandardCharsets.US_ASCII),
                sha256(given).getBytes(StandardCharsets.US_ASCII));
    }
}
