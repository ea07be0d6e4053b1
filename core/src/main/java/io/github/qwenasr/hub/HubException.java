package io.github.qwenasr.hub;

import io.github.qwenasr.QwenAsrException;

/**
 * A download failure with a one-line message for the user. {@link #retryable()} tells a passing
 * problem (connection dropped, server busy) that is worth another attempt from one that is not
 * (not found, access refused, checksum mismatch, disk full).
 */
public class HubException extends QwenAsrException {
    private final boolean retryable;

    public HubException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public HubException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
