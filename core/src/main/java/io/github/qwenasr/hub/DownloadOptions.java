package io.github.qwenasr.hub;

import java.time.Duration;

/**
 * How hard a download tries.
 *
 * @param maxAttempts consecutive failed attempts (no byte gained) after which a file is given up;
 *                    an attempt that gained bytes resets the count, so a flaky link still finishes
 * @param retryDelay  wait before the first retry; it doubles each time, up to 30 s
 * @param idleTimeout a transfer that receives nothing for this long is dropped and retried
 */
public record DownloadOptions(int maxAttempts, Duration retryDelay, Duration idleTimeout) {
    static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);

    public DownloadOptions {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
        if (retryDelay.isNegative()) throw new IllegalArgumentException("retryDelay must not be negative");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) throw new IllegalArgumentException("idleTimeout must be positive");
    }

    /** 6 attempts, 1 s first delay, 60 s idle timeout. */
    public static DownloadOptions defaults() {
        return new DownloadOptions(6, Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    /** The wait before retry number {@code failures} (1-based). */
    Duration delayAfter(int failures) {
        Duration d = retryDelay;
        for (int i = 1; i < failures && d.compareTo(MAX_RETRY_DELAY) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : d;
    }
}
