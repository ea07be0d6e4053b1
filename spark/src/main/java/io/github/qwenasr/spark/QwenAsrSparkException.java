package io.github.qwenasr.spark;

/** A failure of the whole job (not of one input), with a one-line message meant for the user. */
public final class QwenAsrSparkException extends RuntimeException {
    public QwenAsrSparkException(String message) {
        super(message);
    }

    public QwenAsrSparkException(String message, Throwable cause) {
        super(message, cause);
    }
}
