package io.cohort.contracts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a service remembers that a subscriber was erased without keeping the id: the suppression
 * register of every service stores this hash (with the erasure's time), never the id itself, so it
 * can tell an in-flight event of an erased person from a new one while holding no personal data
 * that can be read back directly.
 */
public final class ErasedIds {

    // a fixed prefix keeps these hashes apart from any other SHA-256 of an id in the system
    private static final byte[] DOMAIN = "cohort-erased-subscriber:".getBytes(StandardCharsets.UTF_8);

    private ErasedIds() {
    }

    /** Lower-case hex SHA-256 of the domain prefix and the subscriber id (64 characters). */
    public static String hash(String subscriberId) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(DOMAIN);
            return HexFormat.of().formatHex(digest.digest(subscriberId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
