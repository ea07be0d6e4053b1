package io.github.qwenasr.eval;

import java.util.Collection;
import java.util.Set;

/**
 * Which error rate a report leads with (docs/modes.md 13.3): the character error rate for languages
 * written without spaces between words, or where it is the usual measure (Chinese, Cantonese,
 * Japanese, Thai, and Korean, whose space-separated units are whole phrases), the word error rate
 * for every other language. Both rates are always reported.
 */
public enum PrimaryMetric {
    WER, CER;

    private static final Set<String> CHARACTER_LANGUAGES = Set.of("Chinese", "Cantonese", "Japanese", "Korean", "Thai");

    /** The metric for a language by its official name ("Chinese"). */
    public static PrimaryMetric forLanguage(String language) {
        return CHARACTER_LANGUAGES.contains(language) ? CER : WER;
    }

    /**
     * The metric for references of unknown language: CER when most of their letters (after
     * normalisation) are Han, Hiragana, Katakana, Bopomofo, Hangul or Thai, else WER.
     */
    public static PrimaryMetric forReferences(Collection<String> references) {
        long letters = 0;
        long characterScripts = 0;
        for (String reference : references) {
            for (int c : TextNormalizer.characters(TextNormalizer.normalize(reference))) {
                if (!Character.isLetter(c)) continue;
                letters++;
                Character.UnicodeScript script = Character.UnicodeScript.of(c);
                if (TextNormalizer.isCharacterScored(c) || script == Character.UnicodeScript.HANGUL
                        || script == Character.UnicodeScript.THAI) {
                    characterScripts++;
                }
            }
        }
        return letters > 0 && 2 * characterScripts > letters ? CER : WER;
    }
}
