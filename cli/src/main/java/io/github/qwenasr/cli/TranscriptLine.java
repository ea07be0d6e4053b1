package io.github.qwenasr.cli;

/**
 * The stdout form of a transcript (docs/modes.md 1.4): trimmed, inner line breaks folded into single
 * spaces, one trailing newline. One transcript is always exactly one line, so scripts can read it
 * with a line reader; an empty transcript is an empty line.
 */
final class TranscriptLine {
    private TranscriptLine() {
    }

    static String of(String text) {
        String flat = text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
        return flat + "\n";
    }
}
