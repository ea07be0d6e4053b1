package io.github.qwenasr.eval;

/** A data set that cannot be read as given: missing folder or file, bad line, no utterances. One line. */
public final class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
