package io.github.qwenasr.stream;

import io.github.qwenasr.prompt.PyStrings;
import io.github.qwenasr.tokenizer.Utf8StreamDecoder;
import java.util.Arrays;

/**
 * Committed token bytes turned into text (docs/modes.md 3.3, 6.9, 12.4): a character whose UTF-8
 * bytes are split over tokens is released only once complete (never a U+FFFD for a split CJK
 * character or emoji), leading whitespace is dropped and trailing whitespace is held back until
 * more text follows, so the finished text equals the whitespace-stripped decode of every emitted
 * byte and each delta only ever extends the text. Not thread-safe.
 */
final class CommittedText {
    private final Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder heldSpace = new StringBuilder();
    /** Copy of the bytes the decoder holds back (the start of an incomplete character). */
    private byte[] pending = new byte[0];
    /** {@link #text()} as last built: pushes that run no step must not copy a long transcript again. */
    private String snapshot = "";

    /** Adds emitted bytes; returns the text released by them (possibly empty). */
    String append(byte[] bytes) {
        byte[] all = concat(pending, bytes);
        String chars = utf8.push(bytes);
        pending = Arrays.copyOfRange(all, all.length - utf8.pendingBytes(), all.length);
        return release(chars);
    }

    /** Ends the text: an incomplete character becomes U+FFFD, held trailing whitespace is dropped. */
    String finish() {
        String rest = release(utf8.finish());
        pending = new byte[0];
        heldSpace.setLength(0);
        return rest;
    }

    /** All text released so far. */
    String text() {
        if (snapshot.length() != text.length()) snapshot = text.toString();
        return snapshot;
    }

    /**
     * What the committed text would continue with if {@code moreBytes} followed (the tentative
     * text): held whitespace, the pending partial character and the new bytes, up to the last
     * complete character.
     */
    String preview(byte[] moreBytes) {
        Utf8StreamDecoder scratch = new Utf8StreamDecoder();
        String more = scratch.push(concat(pending, moreBytes));
        String s = heldSpace + more;
        if (text.isEmpty()) s = stripLeading(s);
        return s;
    }

    private String release(String chars) {
        if (chars.isEmpty()) return "";
        String s = text.isEmpty() && heldSpace.isEmpty() ? stripLeading(chars) : chars;
        int end = s.length();
        while (end > 0) {
            int cp = s.codePointBefore(end);
            if (!PyStrings.isPyWhitespace(cp)) break;
            end -= Character.charCount(cp);
        }
        if (end == 0) {
            if (!text.isEmpty()) heldSpace.append(s);
            return "";
        }
        String out = heldSpace + s.substring(0, end);
        heldSpace.setLength(0);
        heldSpace.append(s, end, s.length());
        text.append(out);
        return out;
    }

    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (!PyStrings.isPyWhitespace(cp)) break;
            i += Character.charCount(cp);
        }
        return s.substring(i);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a.length == 0) return b;
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
