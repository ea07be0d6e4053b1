package io.github.qwenasr.longform;

import java.lang.Character.UnicodeBlock;
import java.lang.Character.UnicodeScript;
import java.util.Set;

/**
 * Joins segment transcripts (docs/modes.md 4.6 with the 12.2.5 defect fixed): one space goes between
 * two segments only when the text so far ends in, and the segment starts with, a character of a
 * space-separated script. No space next to whitespace, next to CJK/Thai-like scripts (written
 * without spaces), after an opening bracket or quote, or before closing/terminal punctuation.
 */
public final class SegmentJoiner {
    private static final Set<UnicodeScript> UNSPACED_SCRIPTS = Set.of(UnicodeScript.HAN, UnicodeScript.HIRAGANA,
            UnicodeScript.KATAKANA, UnicodeScript.BOPOMOFO, UnicodeScript.THAI, UnicodeScript.LAO,
            UnicodeScript.KHMER, UnicodeScript.MYANMAR);
    private static final Set<UnicodeBlock> UNSPACED_BLOCKS = Set.of(UnicodeBlock.CJK_SYMBOLS_AND_PUNCTUATION,
            UnicodeBlock.HALFWIDTH_AND_FULLWIDTH_FORMS);

    private SegmentJoiner() {}

    /** Appends {@code piece} (leading whitespace dropped) to {@code text}, with a space when the rule asks. */
    public static void append(StringBuilder text, String piece) {
        String p = piece.stripLeading();
        if (p.isEmpty()) return;
        if (!text.isEmpty() && needsSpace(text.codePointBefore(text.length()), p.codePointAt(0))) text.append(' ');
        text.append(p);
    }

    static boolean needsSpace(int last, int first) {
        if (Character.isWhitespace(last) || Character.isWhitespace(first)) return false;
        if (unspaced(last) || unspaced(first)) return false;
        if (opening(last)) return false;
        return !closing(first);
    }

    private static boolean unspaced(int cp) {
        return UNSPACED_SCRIPTS.contains(UnicodeScript.of(cp)) || UNSPACED_BLOCKS.contains(UnicodeBlock.of(cp));
    }

    private static boolean opening(int cp) {
        int type = Character.getType(cp);
        return type == Character.START_PUNCTUATION || type == Character.INITIAL_QUOTE_PUNCTUATION;
    }

    /** Punctuation that attaches to the preceding word: everything except opening brackets and quotes. */
    private static boolean closing(int cp) {
        return switch (Character.getType(cp)) {
            case Character.END_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION,
                 Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION -> true;
            default -> false;
        };
    }
}
