package io.github.qwenasr.format;

/** Character classes the subtitle layout needs. */
final class Scripts {
    private Scripts() {
    }

    /** The characters an aligner unit keeps (docs/model.md 7.2): apostrophe, letters and numbers. */
    static boolean isWordChar(int cp) {
        return io.github.qwenasr.align.AlignmentUnits.isKept(cp);
    }

    /** Scripts written without spaces between words, where a line may break between any two characters. */
    static boolean isUnspaced(int cp) {
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA;
    }

    static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    /**
     * Columns a string takes on screen: East Asian wide characters and emoji count two, combining
     * marks and format characters none, everything else one. The 42-column line limit therefore
     * allows about 21 CJK characters, the usual limit for Chinese and Japanese subtitles.
     */
    static int width(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            w += width(cp);
        }
        return w;
    }

    private static int width(int cp) {
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT) return 0;
        boolean wide = (cp >= 0x1100 && cp <= 0x115F)
                || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F)
                || (cp >= 0xAC00 && cp <= 0xD7A3)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0xFE30 && cp <= 0xFE4F)
                || (cp >= 0xFF00 && cp <= 0xFF60)
                || (cp >= 0xFFE0 && cp <= 0xFFE6)
                || (cp >= 0x1F300 && cp <= 0x1FAFF)
                || (cp >= 0x20000 && cp <= 0x3FFFD);
        return wide ? 2 : 1;
    }

    static int firstCodePoint(String s) {
        return s.codePointAt(0);
    }

    static int lastCodePoint(String s) {
        return s.codePointBefore(s.length());
    }
}
