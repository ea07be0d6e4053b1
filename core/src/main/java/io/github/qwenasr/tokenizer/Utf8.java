package io.github.qwenasr.tokenizer;

/**
 * Lossy UTF-8 decoding with the replacement rule of Python's {@code errors="replace"}
 * (docs/model.md 6.5): each <em>maximal subpart</em> of an ill-formed sequence becomes one U+FFFD (Unicode
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

    /**
     * Length of the well-formed UTF-8 character that starts at {@code bytes[i]} and ends before
     * {@code to}, or -1 when there is none (the rule of the JDK's strict decoder: no overlong
     * forms, no surrogates, nothing above U+10FFFF, no truncation), so a file that
     * {@code Files.readString} would reject is still rejected by the byte-level readers.
     */
    static int validLength(byte[] bytes, int i, int to) {
        int b0 = bytes[i] & 0xFF;
        if (b0 < 0x80) return 1;
        int need;
        int lo = 0x80;
        int hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            need = 1;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            need = 2;
            if (b0 == 0xE0) lo = 0xA0;
            else if (b0 == 0xED) hi = 0x9F;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            need = 3;
            if (b0 == 0xF0) lo = 0x90;
            else if (b0 == 0xF4) hi = 0x8F;
        } else {
            return -1;
        }
        if (i + need >= to) return -1;
        int b1 = bytes[i + 1] & 0xFF;
        if (b1 < lo || b1 > hi) return -1;
        for (int k = 2; k <= need; k++) {
            int b = bytes[i + k] & 0xFF;
            if (b < 0x80 || b > 0xBF) return -1;
        }
        return need + 1;
    }

    /** The code point of the well-formed UTF-8 character that starts at {@code bytes[i]}. */
    static int codePointAt(byte[] bytes, int i) {
        int b0 = bytes[i] & 0xFF;
        if (b0 < 0x80) return b0;
        if (b0 < 0xE0) return ((b0 & 0x1F) << 6) | (bytes[i + 1] & 0x3F);
        if (b0 < 0xF0) return ((b0 & 0x0F) << 12) | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F);
        return ((b0 & 0x07) << 18) | ((bytes[i + 1] & 0x3F) << 12) | ((bytes[i + 2] & 0x3F) << 6) | (bytes[i + 3] & 0x3F);
    }

    /** Length in bytes of the well-formed UTF-8 character whose lead byte is {@code b0}. */
    static int charLength(byte b0) {
        int b = b0 & 0xFF;
        return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    }
}
