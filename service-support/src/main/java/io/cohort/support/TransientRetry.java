package io.cohort.support;

import java.time.Duration;

/**
 * Runs an action again while it fails transiently ({@link FailureKind#TRANSIENT}), waiting longer
 * each time. A permanent failure is thrown at once (the caller dead-letters the record); a transient
 * one that outlasts the attempts is thrown too, so the caller's channel stops and the record is
 * redelivered after a restart rather than dead-lettered while it is still good.
 */
public final class TransientRetry {

    /** {@code attempts} tries in all, the first wait {@code firstDelay}, doubling up to {@code maxDelay}. */
    public record Policy(int attempts, Duration firstDelay, Duration maxDelay) {

        public Policy {
            if (attempts < 1 || firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
                throw new IllegalArgumentException("attempts >= 1 and 0 <= firstDelay <= maxDelay");
            }
        }

        /** About two minutes of retries: long enough for a database failover or a broker restart. */
        public static Policy standard() {
            return new Policy(10, Duration.ofMillis(200), Duration.ofSeconds(30));
        }

        Duration delayBefore(int attempt) {
            long millis = firstDelay.toMillis();
            for (int i = 2; i < attempt && millis < maxDelay.toMillis(); i++) {
                millis *= 2;
            }
            return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
        }
    }

    /** What to do between attempts (log, count); told the failure and the attempt that comes next. */
    @FunctionalInterface
    public interface Listener {
        void retrying(RuntimeException failure, int nextAttempt, Duration delay);
    }

    private TransientRetry() {
    }

    public static void run(Policy policy, Listener listener, Runnable action) {
        for (int attempt = 1; ; attempt++) {
            try {
                action.run();
                return;
            } catch (RuntimeException e) {
                if (FailureKind.of(e) == FailureKind.PERMANENT || attempt >= policy.attempts()) {
                    throw e;
                }
                Duration delay = policy.delayBefore(attempt + 1);
                listener.retrying(e, attempt + 1, delay);
                sleep(delay, e);
            }
        }
    }

    private static void sleep(Duration delay, RuntimeException failure) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            failure.addSuppressed(interrupted);
            throw failure;
        }
    }
}
