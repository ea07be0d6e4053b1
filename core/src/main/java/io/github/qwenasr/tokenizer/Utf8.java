package io.github.qwenasr.tokenizer;

/**
 * Lossy UTF-8 decoding with the replacement rule of Python's {@code errors="replace"} (MODEL.md
 * §6.5): each <em>maximal subpart</em> of an ill-formed sequence becomes one U+FFFD (Unicode
 * "best practice", the well-formed byte ranges of Unicode Table 3-7).
 */
final class Utf8 {
    static final char REPLACEMENT = '\uFFFD';

    private Utf8() {
    }

    /** Decodes all of {@code bytes}; an incomplete sequence at the end becomes one U+FFFD. */
    static String decode(byte[] bytes, int off, int len) {
        StringBuilder out = new StringBuilder(len);
        decodeInto(bytes, off, len, out, true);
        return out.toString();
    }

    /**
     * Decodes {@code bytes[off, off+len)} into {@code out}.
     *
     * @param endOfInput when false, a trailing sequence that is a valid but incomplete prefix of a
     *                   character is left undecoded
     * @return the number of bytes consumed (equal to {@code len} when {@code endOfInput})
     */
    static int decodeInto(byte[] bytes, int off, int len, StringBuilder out, boolean endOfInput) {
        int end = off + len;
        int i = off;
        while (i < end) {
            int b0 = bytes[i] & 0xFF;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int need;       // continuation bytes after the lead byte
            int lo = 0x80;  // allowed range of the first continuation byte
            int hi = 0xBF;
            int cp;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
                cp = b0 & 0x1F;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                cp = b0 & 0x0F;
                if (b0 == 0xE0) lo = 0xA0;        // no overlong forms
                else if (b0 == 0xED) hi = 0x9F;   // no surrogates
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                cp = b0 & 0x07;
                if (b0 == 0xF0) lo = 0x90;        // no overlong forms
                else if (b0 == 0xF4) hi = 0x8F;   // nothing above U+10FFFF
            } else {
                out.append(REPLACEMENT);          // stray continuation byte or invalid lead
                i++;
                continue;
            }
            int j = i + 1;
            int got = 0;
            boolean broken = false;
            while (got < need) {
                if (j >= end) break;
                int b = bytes[j] & 0xFF;
                int min = got == 0 ? lo : 0x80;
                int max = got == 0 ? hi : 0xBF;
                if (b < min || b > max) {
                    broken = true;
                    break;
                }
                cp = (cp << 6) | (b & 0x3F);
                got++;
                j++;
            }
            if (got == need) {
                out.appendCodePoint(cp);
                i = j;
            } else if (!broken && !endOfInput) {
                return i - off;                   // wait for the rest of this character
            } else {
                out.append(REPLACEMENT);          // the lead byte and the valid continuations so far
                i = j;
            }
        }
        return len;
    }
}
