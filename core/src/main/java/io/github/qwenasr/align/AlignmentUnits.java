package io.github.qwenasr.align;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.prompt.PyStrings;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a transcript into the units the forced aligner times (docs/model.md 7.2): whitespace-separated
 * pieces, stripped of everything but letters, numbers and the apostrophe, with every CJK ideograph
 * as a unit of its own. Korean words are cut after their longest dictionary prefix ({@link KoreanUnits}).
 * Japanese words come from the {@link WordSegmenter} registered for it (the qwen-asr-align module's
 * Kuromoji analyser stands in for the official nagisa), applied to the text after nagisa's own
 * preprocessing (NFKC, then U+0130 to "I"), and cleaned like the other units; without one on the class path
 * Japanese is refused rather than split differently.
 */
public final class AlignmentUnits {
    private AlignmentUnits() {
    }

    /** The units of {@code text} for {@code language} (case-insensitive; null or unknown: the default rule). */
    public static List<String> split(String text, String language) {
        String lang = language == null ? "" : language.toLowerCase(Locale.ROOT);
        List<String> units = new ArrayList<>();
        if (lang.equals("japanese")) {
            WordSegmenter segmenter = WordSegmenters.forLanguage(lang).orElseThrow(() -> new QwenAsrException(
                    "Japanese alignment needs the qwen-asr-align module (Kuromoji) on the class path"));
            // nagisa segments (and returns words of) the NFKC form, so full-width digits come back half-width.
            String normalised = Normalizer.normalize(text, Normalizer.Form.NFKC).replace('\u0130', 'I');
            for (String word : segmenter.words(normalised)) {
                String cleaned = clean(word);
                if (!cleaned.isEmpty()) units.add(cleaned);
            }
            return units;
        }
        if (lang.equals("korean")) {
            KoreanUnits.split(text, units);
            return units;
        }
        for (String piece : PyStrings.split(text)) {
            String cleaned = clean(piece);
            if (!cleaned.isEmpty()) splitAtIdeographs(cleaned, units);
        }
        return units;
    }

    /** Keeps only the characters {@link #isKept} accepts. */
    static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().filter(AlignmentUnits::isKept).forEach(b::appendCodePoint);
        return b.toString();
    }

    /** Apostrophe, or a Unicode letter (L*) or number (N*): the characters a unit keeps. */
    public static boolean isKept(int cp) {
        if (cp == '\'') return true;
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
                 Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }

    /** The ideograph ranges of the official CJK test (kana and Hangul are not in it). */
    static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF);
    }

    private static void splitAtIdeographs(String s, List<String> units) {
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (isCjk(cp)) {
                if (!run.isEmpty()) {
                    units.add(run.toString());
                    run.setLength(0);
                }
                units.add(new String(Character.toChars(cp)));
            } else {
                run.appendCodePoint(cp);
            }
        }
        if (!run.isEmpty()) units.add(run.toString());
    }
}
