package io.cohort.segment.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Deterministic holdout assignment: the first 8 bytes of SHA-256("segmentId:subscriberId") give a
 * point uniform in [0, 100); a member is held out iff that point is below the holdout percentage.
 * The same pair always lands in the same place, on every replica and after every re-evaluation,
 * and raising the percentage only ever adds subscribers to the holdout.
 */
public final class Holdout {

    private static final double TWO_POW_53 = 0x1p53;

    private Holdout() {
    }

    /** The subscriber's point in [0, 100) for this segment. */
    public static double bucket(UUID segmentId, String subscriberId) {
        return bucket(segmentId + ":" + subscriberId);
    }

    /** A point in [0, 100) for any key; also used for reproducible samples. */
    public static double bucket(String key) {
        byte[] digest = sha256(key.getBytes(StandardCharsets.UTF_8));
        long bits = ByteBuffer.wrap(digest, 0, 8).getLong();
        return (bits >>> 11) / TWO_POW_53 * 100.0;
    }

    public static boolean isHeldOut(UUID segmentId, String subscriberId, double holdoutPercent) {
        return holdoutPercent > 0 && bucket(segmentId, subscriberId) < holdoutPercent;
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
