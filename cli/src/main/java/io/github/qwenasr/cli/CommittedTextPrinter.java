package io.github.qwenasr.cli;

import io.github.qwenasr.QwenAsrException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Prints streamed text to stdout as it is committed (docs/modes.md 1.4, 6.6), so that the whole output is
 * exactly {@link TranscriptLine#of} of the final transcript: one line, leading and trailing blanks
 * dropped, every run of blanks containing a line break folded into one space. Blanks are therefore
 * held back until the next visible character shows they are inner blanks.
 *
 * <p>Bytes are written as UTF-8 whatever the stream's own charset, and flushed after every delta. A
 * delta that ends with the first half of a surrogate pair keeps it until its second half arrives, so
 * a character is never split (the session already commits whole characters; this is a second guard).
 * A failed write (closed pipe) becomes a one-line {@link QwenAsrException}.
 */
final class CommittedTextPrinter {
    private final PrintStream out;
    private final StringBuilder heldBlanks = new StringBuilder();
    private char heldHighSurrogate;
    private boolean printedAny;

    CommittedTextPrinter(PrintStream out) {
        this.out = out;
    }

    /** Prints what {@code delta} adds to the line; blanks wait for the next visible character. */
    void print(String delta) {
        if (delta == null || delta.isEmpty()) return;
        StringBuilder visible = new StringBuilder(delta.length() + 2);
        for (int i = 0; i < delta.length(); i++) {
            char c = delta.charAt(i);
            if (heldHighSurrogate != 0) {
                char high = heldHighSurrogate;
                heldHighSurrogate = 0;
                if (Character.isLowSurrogate(c)) {
                    appendVisible(visible, high, c);
                    continue;
                }
                appendVisible(visible, high); // unpaired: let the encoder replace it
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < delta.length()) {
                    appendVisible(visible, c, delta.charAt(++i));
                } else {
                    heldHighSurrogate = c;
                }
            } else if (Character.isWhitespace(c)) {
                heldBlanks.append(c);
            } else {
                appendVisible(visible, c);
            }
        }
        write(visible);
    }

    /** Ends the line: held blanks are dropped (they were trailing), a held half character is written. */
    void finish() {
        StringBuilder rest = new StringBuilder();
        if (heldHighSurrogate != 0) {
            appendVisible(rest, heldHighSurrogate);
            heldHighSurrogate = 0;
        }
        heldBlanks.setLength(0);
        rest.append('\n');
        write(rest);
    }

    private void appendVisible(StringBuilder sb, char... chars) {
        if (printedAny && !heldBlanks.isEmpty()) sb.append(fold(heldBlanks));
        heldBlanks.setLength(0);
        sb.append(chars);
        printedAny = true;
    }

    /** Inner blanks, folded by the same rule as {@link TranscriptLine}. */
    private static String fold(CharSequence blanks) {
        return blanks.toString().replaceAll("\\s*\\R\\s*", " ");
    }

    private void write(CharSequence text) {
        if (text.isEmpty()) return;
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.flush();
        if (out.checkError()) throw new QwenAsrException("cannot write the output to stdout");
    }
}
