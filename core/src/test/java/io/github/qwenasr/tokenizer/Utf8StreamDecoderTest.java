package io.github.qwenasr.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lossy UTF-8 decoding (docs/model.md 6.5) in one piece and streamed. Expectations are Python's {@code bytes.decode("utf-8", "replace")}. */
class Utf8StreamDecoderTest {

    private static byte[] hex(String h) {
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        return b;
    }

    private static String decodeAll(byte[] b) {
        return Utf8.decode(b, 0, b.length);
    }

    @Test
    void oneReplacementPerMaximalInvalidSubpart() {
        assertEquals("\uFFFDHello", decodeAll(hex("e28248656c6c6f")));
        assertEquals("\uFFFD \uFFFD\uFFFD", decodeAll(hex("e220e2e2")));
        assertEquals("\uFFFD\uFFFD\uFFFD", decodeAll(hex("eda080")));      // encoded surrogate
        assertEquals("\uFFFD\uFFFD", decodeAll(hex("c080")));              // overlong
        assertEquals("\uFFFD\uFFFD", decodeAll(hex("e080")));
        assertEquals("\uFFFD\uFFFD\uFFFD\uFFFD", decodeAll(hex("f4908080")));   // above U+10FFFF
        assertEquals("\uFFFD", decodeAll(hex("f09f98")));                   // truncated emoji
        assertEquals("\uFFFD", decodeAll(hex("f5")));
        assertEquals("\uFFFD\uFFFD", decodeAll(hex("ffe4bd")));
        assertEquals("\uFFFD\uFFFD", decodeAll(hex("80bf")));
        assertEquals("\uD83D\uDE00", decodeAll(hex("f09f9880")));
        assertEquals("你好", decodeAll(hex("e4bda0e5a5bd")));
        assertEquals("\uFFFD", decodeAll(hex("efbfbd")));                   // a real U+FFFD
    }

    @Test
    void emojiSplitAcrossPushes() {
        byte[] smile = "😀".getBytes(StandardCharsets.UTF_8);
        Utf8StreamDecoder d = new Utf8StreamDecoder();
        assertEquals("a", d.push(new byte[] {'a', smile[0]}));
        assertEquals(1, d.pendingBytes());
        assertEquals("", d.push(new byte[] {smile[1], smile[2]}));
        assertEquals("😀b", d.push(new byte[] {smile[3], 'b'}));
        assertEquals(0, d.pendingBytes());
        assertEquals("", d.finish());
    }

    @Test
    void cjkByteByByte() {
        String text = "甚至出现交易几乎停滞的情况。";
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        Utf8StreamDecoder d = new Utf8StreamDecoder();
        StringBuilder out = new StringBuilder();
        for (byte x : b) {
            String s = d.push(new byte[] {x});
            out.append(s);
            assertTrue(text.startsWith(out.toString()), "only complete characters are emitted");
        }
        out.append(d.finish());
        assertEquals(text, out.toString());
    }

    @Test
    void incompleteTailIsReplacedOnFinish() {
        Utf8StreamDecoder d = new Utf8StreamDecoder();
        assertEquals("ok", d.push(hex("6f6be4bd")));
        assertEquals("\uFFFD", d.finish());
        assertEquals("", d.finish());
        // Invalid bytes in the middle do not wait for anything.
        assertEquals("\uFFFD ", d.push(hex("e220e2")));
        assertEquals("\uFFFD", d.finish());
    }

    /** Streaming in arbitrary chunks gives the same text as decoding all bytes at once. */
    @Test
    void streamedEqualsWhole() {
        Random rnd = new Random(42);
        byte[] valid = "naïve café 😀👍🏽 日本語 עברית".getBytes(StandardCharsets.UTF_8);
        for (int trial = 0; trial < 500; trial++) {
            byte[] data = Arrays.copyOf(valid, valid.length);
            if (trial % 2 == 1) {
                for (int k = 0; k < 3; k++) data[rnd.nextInt(data.length)] = (byte) rnd.nextInt(256);
            }
            Utf8StreamDecoder d = new Utf8StreamDecoder();
            StringBuilder out = new StringBuilder();
            int pos = 0;
            while (pos < data.length) {
                int len = Math.min(data.length - pos, 1 + rnd.nextInt(5));
                out.append(d.push(data, pos, len));
                pos += len;
            }
            out.append(d.finish());
            assertEquals(decodeAll(data), out.toString());
            if (trial % 2 == 0) assertEquals(new String(valid, StandardCharsets.UTF_8), out.toString());
        }
    }
}
