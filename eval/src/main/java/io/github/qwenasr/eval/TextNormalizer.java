package io.github.qwenasr.eval;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The scoring normalisation applied to references and transcripts alike before they are compared
 * (docs/modes.md 13.3), in the spirit of Whisper's basic (language-independent) normaliser:
 * <ol>
 *   <li>Unicode NFKC (full-width forms, ligatures and compatibility characters become plain ones);</li>
 *   <li>case folding: lower case in the root locale, then {@code ß → ss} and {@code ς → σ}, the full
 *       folds that lower-casing leaves out;</li>
 *   <li>annotations in square brackets, angle brackets or parentheses ({@code [noise]}, {@code <unk>},
 *       {@code (laughs)}) removed;</li>
 *   <li>every punctuation or symbol character becomes a space, except an apostrophe between two
 *       letters or digits ({@code don't}, {@code o'brien}), which is kept as {@code '}; combining marks
 *       stay (Whisper's normaliser turns them into spaces, which splits Devanagari or Thai words);
 *       invisible format characters are dropped, a zero-width space counts as a space;</li>
 *   <li>whitespace collapsed to single spaces, none at either end.</li>
 * </ol>
 * Numbers are not spelled out and spellings are not unified (Whisper's English normaliser does both):
 * "20" against "twenty" counts as an error.
 */
public final class TextNormalizer {
    /** Non-nested annotations, shortest match: removed before punctuation turns into spaces. */
    private static final Pattern ANNOTATION = Pattern.compile("\\[[^\\]]*\\]|<[^>]*>|\\([^)]*\\)");
    private static final int ZERO_WIDTH_SPACE = 0x200B;
    /** Katakana-Hiragana prolonged sound mark: script Common, but part of Japanese words. */
    private static final int PROLONGED_SOUND_MARK = 0x30FC;

    private TextNormalizer() {
    }

    /** {@code text} normalised for scoring (see the class comment); "" for null. */
    public static String normalize(String text) {
        if (text == null) return "";
        String s = fold(Normalizer.normalize(text, Normalizer.Form.NFKC));
        s = ANNOTATION.matcher(s).replaceAll(" ");
        StringBuilder out = new StringBuilder(s.length());
        int[] cps = s.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (isApostrophe(c)) {
                boolean inside = i > 0 && i + 1 < cps.length && isWordChar(cps[i - 1]) && isWordChar(cps[i + 1]);
                appendSpaceOr(out, inside ? '\'' : -1);
            } else if (c == ZERO_WIDTH_SPACE || Character.isWhitespace(c) || Character.isSpaceChar(c)
                    || isPunctuationOrSymbol(c) || Character.getType(c) == Character.CONTROL) {
                appendSpaceOr(out, -1);
            } else if (Character.getType(c) == Character.FORMAT) {
                // Soft hyphens, joiners, byte order marks: invisible, so neither a letter nor a break.
            } else {
                out.appendCodePoint(c);
            }
        }
        int end = out.length();
        if (end > 0 && out.charAt(end - 1) == ' ') out.setLength(end - 1);
        return out.toString();
    }

    /**
     * The words of a normalised text, as scored: its space-separated tokens, except that every Han,
     * Hiragana, Katakana or Bopomofo character is a word of its own, since those scripts do not
     * separate words with spaces ("我用iphone手机" gives 我 用 iphone 手 机).
     */
    public static List<String> words(String normalized) {
        List<String> words = new ArrayList<>();
        for (String token : normalized.split(" ")) {
            int runStart = -1;
            for (int i = 0; i < token.length(); ) {
                int c = token.codePointAt(i);
                int next = i + Character.charCount(c);
                if (isCharacterScored(c)) {
                    if (runStart >= 0) words.add(token.substring(runStart, i));
                    runStart = -1;
                    words.add(token.substring(i, next));
                } else if (runStart < 0) {
                    runStart = i;
                }
                i = next;
            }
            if (runStart >= 0) words.add(token.substring(runStart));
        }
        return words;
    }

    /** The characters of a normalised text, as scored: its code points, spaces left out. */
    public static int[] characters(String normalized) {
        return normalized.codePoints().filter(c -> c != ' ').toArray();
    }

    /** Whether {@code c} is written in a script scored one character per word ({@link #words}). */
    static boolean isCharacterScored(int c) {
        if (c == PROLONGED_SOUND_MARK) return true;
        Character.UnicodeScript script = Character.UnicodeScript.of(c);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.BOPOMOFO;
    }

    /** Case folding beyond lower case for the two letters whose full fold differs from it. */
    private static String fold(String s) {
        return s.toLowerCase(Locale.ROOT).replace("ß", "ss").replace('ς', 'σ');
    }

    /** Appends {@code c} (or, for -1, a space) without doubling spaces or starting with one. */
    private static void appendSpaceOr(StringBuilder out, int c) {
        if (c >= 0) {
            out.append((char) c);
        } else if (!out.isEmpty() && out.charAt(out.length() - 1) != ' ') {
            out.append(' ');
        }
    }

    private static boolean isApostrophe(int c) {
        return c == '\'' || c == '\u2019' || c == '\u2018' || c == '\u02BC';
    }

    /** Letters, digits and combining marks: what may stand on both sides of a kept apostrophe. */
    private static boolean isWordChar(int c) {
        int type = Character.getType(c);
        return Character.isLetterOrDigit(c) || type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
    }

    private static boolean isPunctuationOrSymbol(int c) {
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                 Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }
}
