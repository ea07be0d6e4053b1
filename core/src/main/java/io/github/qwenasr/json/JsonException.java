package io.github.qwenasr.json;

/** Malformed or unexpected JSON. */
public final class JsonException extends RuntimeException {
    public JsonException(String message) {
        super(message);
    }
}
