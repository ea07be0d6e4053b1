package io.github.qwenasr.tokenizer;

/**
 * The GPT-2 style byte &lt;-&gt; character alphabet of byte-level BPE (docs/model.md 6.2).
 *
 * <p>Printable bytes 33–126, 161–172 and 174–255 stand for themselves; the other 68 bytes are
 * given the code points 256, 257, … in increasing byte order, so every token string is made of
 * visible characters.
 */
final class ByteLevel {
    /** Number of characters in the alphabet image (256 + 68). */
    static final int ALPHABET_LIMIT = 324;

    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final short[] CHAR_TO_BYTE = new short[ALPHABET_LIMIT];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, (short) -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean selfMapped = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
            char c = (char) (selfMapped ? b : next++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = (short) b;
        }
    }

    private ByteLevel() {
    }

    /** The alphabet character that stands for byte {@code b} (0–255). */
    static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte a character of a token string stands for, or -1 when it is outside the alphabet. */
    static int byteOf(char c) {
        return c < ALPHABET_LIMIT ? CHAR_TO_BYTE[c] : -1;
    }
}
