package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.qwenasr.QwenAsrException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The live stdout of --stream: however the committed text is cut into deltas, the bytes printed are
 * the UTF-8 of {@link TranscriptLine#of} of the whole text (one line, outer blanks dropped, line
 * breaks folded), each delta is flushed at once, and a closed stdout is a one-line failure.
 */
class CommittedTextPrinterTest {
    private static final String[] PIECES = {"Hello", " ", "world", "  ", "\n", "你好", "世界", "😀", "🎉🎉", "é", "\t",
        "\r\n", "a", " b ", "Ω", "日本語", "\u00A0", "x"};

    private static byte[] printed(List<String> deltas, String charset) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // The stream's own charset must not matter: the printer writes UTF-8 bytes.
        PrintStream out = new PrintStream(bytes, true, java.nio.charset.Charset.forName(charset));
        CommittedTextPrinter p = new CommittedTextPrinter(out);
        for (String d : deltas) p.print(d);
        p.finish();
        return bytes.toByteArray();
    }

    @Test
    void anySplitPrintsTheTranscriptLineOfTheWholeText() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 500; trial++) {
            StringBuilder whole = new StringBuilder();
            int n = rnd.nextInt(12);
            for (int i = 0; i < n; i++) whole.append(PIECES[rnd.nextInt(PIECES.length)]);
            String text = whole.toString();
            List<String> deltas = new ArrayList<>();
            int pos = 0;
            while (pos < text.length()) {
                // Cuts at any char index, also between the halves of a surrogate pair.
                int end = Math.min(text.length(), pos + 1 + rnd.nextInt(4));
                deltas.add(text.substring(pos, end));
                if (rnd.nextInt(5) == 0) deltas.add("");
                pos = end;
            }
            byte[] want = TranscriptLine.of(text).getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(want, printed(deltas, "UTF-8"), () -> "deltas " + deltas);
            assertArrayEquals(want, printed(deltas, "ISO-8859-1"), () -> "deltas " + deltas);
        }
    }

    @Test
    void emptyTranscriptIsAnEmptyLine() {
        assertEquals("\n", new String(printed(List.of(), "UTF-8"), StandardCharsets.UTF_8));
        assertEquals("\n", new String(printed(List.of(" ", "\n "), "UTF-8"), StandardCharsets.UTF_8));
    }

    @Test
    void eachDeltaIsWrittenAndFlushedAtOnce() {
        List<String> seen = new ArrayList<>();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream watched = new OutputStream() {
            @Override
            public void write(int b) {
                sink.write(b);
            }

            @Override
            public void flush() {
                seen.add(sink.toString(StandardCharsets.UTF_8));
            }
        };
        CommittedTextPrinter p = new CommittedTextPrinter(new PrintStream(watched, false, StandardCharsets.UTF_8));
        p.print("Hello");
        assertEquals("Hello", seen.getLast());
        p.print(" wor");
        assertEquals("Hello wor", seen.getLast(), "the blank waits for the next visible character, no longer");
        p.print("ld. ");
        assertEquals("Hello world.", seen.getLast(), "a trailing blank is held back");
        p.print("\uD83D");
        assertEquals("Hello world.", seen.getLast(), "half a character is never written");
        p.print("\uDE00");
        assertEquals("Hello world. 😀", seen.getLast());
        p.finish();
        assertEquals("Hello world. 😀\n", seen.getLast());
    }

    @Test
    void closedStdoutIsAOneLineFailure() {
        OutputStream closed = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        CommittedTextPrinter p = new CommittedTextPrinter(new PrintStream(closed, true, StandardCharsets.UTF_8));
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> p.print("text"));
        assertEquals("cannot write the output to stdout", e.getMessage());
    }
}
