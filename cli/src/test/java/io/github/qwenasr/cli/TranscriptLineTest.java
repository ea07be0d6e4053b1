package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** stdout form of a transcript: exactly one line (docs/modes.md 1.4). */
class TranscriptLineTest {
    @Test
    void plainTextGetsANewline() {
        assertEquals("Hello world.\n", TranscriptLine.of("Hello world."));
    }

    @Test
    void emptyTranscriptIsAnEmptyLine() {
        assertEquals("\n", TranscriptLine.of(""));
        assertEquals("\n", TranscriptLine.of("  \n "));
    }

    @Test
    void innerLineBreaksBecomeOneSpace() {
        assertEquals("one two three four\n", TranscriptLine.of(" one\ntwo \r\n three\n\n\nfour\n"));
    }

    @Test
    void nonAsciiTextIsKept() {
        assertEquals("甚至出现交易几乎停滞的情况。\n", TranscriptLine.of("甚至出现交易几乎停滞的情况。"));
    }
}
