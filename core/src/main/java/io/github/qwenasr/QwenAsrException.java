package io.github.qwenasr;

/**
 * Every failure the engine reports to its users: bad model files, bad audio, bad options.
 * The message is one line, meant to be shown as is (the CLI prints "Error: " + message).
 */
public class QwenAsrException extends RuntimeException {
    public QwenAsrException(String message) {
        super(message);
    }

    public QwenAsrException(String message, Throwable cause) {
        super(message, cause);
    }
}
