package io.github.qwenasr.tokenizer;

import java.util.Arrays;

/**
 * Turns a stream of UTF-8 byte chunks into text for live display (docs/model.md 6.5): one character's
 * bytes may be spread over several tokens, so an incomplete trailing sequence is kept until the
 * next chunk completes it. Invalid bytes become U+FFFD exactly as in {@link Tokenizer#decode}, so
 * the concatenation of everything returned equals decoding all bytes at once.
 *
 * <p>Not thread-safe: one instance per stream.
 */
public final class Utf8StreamDecoder {
    private byte[] pending = new byte[0];

    /** Appends bytes and returns the text of every character completed so far (may be empty). */
    public String push(byte[] bytes) {
        return push(bytes, 0, bytes.length);
    }

    /** As {@link #push(byte[])} for the range {@code bytes[off, off+len)}. */
    public String push(byte[] bytes, int off, int len) {
        byte[] all;
        if (pending.length == 0) {
            all = Arrays.copyOfRange(bytes, off, off + len);
        } else {
            all = Arrays.copyOf(pending, pending.length + len);
            System.arraycopy(bytes, off, all, pending.length, len);
        }
        StringBuilder out = new StringBuilder(all.length);
        int used = Utf8.decodeInto(all, 0, all.length, out, false);
        pending = Arrays.copyOfRange(all, used, all.length);
        return out.toString();
    }

    /** Flushes the buffered incomplete sequence (as U+FFFD) and resets the decoder. */
    public String finish() {
        String rest = pending.length == 0 ? "" : Utf8.decode(pending, 0, pending.length);
        pending = new byte[0];
        return rest;
    }

    /** Number of bytes held back because they start a character not yet complete. */
    public int pendingBytes() {
        return pending.length;
    }
}
