package io.github.qwenasr.prompt;

import java.util.Locale;

/**
 * Turns the decoded model output into (language, text) exactly as the reference's
 * {@code parse_asr_output} (docs/model.md 5.6): strip, repetition repair, then either the forced
 * language with the whole string as text, or the {@code language X<asr_text>text} header split.
 */
public final class OutputParser {
    private static final String ASR_TEXT_TAG = "<asr_text>";
    private static final String LANGUAGE_PREFIX = "language ";

    /**
     * Parsed output.
     *
     * @param language the detected (normalised) or forced language; "" when unknown or silent
     * @param text     the transcript, stripped
     * @param repaired whether the repetition repair changed the output (the model looped)
     */
    public record Parsed(String language, String text, boolean repaired) {
    }

    private OutputParser() {
    }

    /**
     * Parses raw decoded output (special tokens already skipped, {@code <asr_text>} kept).
     *
     * @param raw                   the decoded text; null is treated as empty
     * @param forcedLanguageOrNull  the canonical forced language; null or "" when not forced
     */
    public static Parsed parse(String raw, String forcedLanguageOrNull) {
        if (raw == null) return new Parsed("", "", false);
        String stripped = PyStrings.strip(raw);
        if (stripped.isEmpty()) return new Parsed("", "", false);   // even when a language was forced
        String s = RepetitionRepair.fix(stripped);
        boolean repaired = !s.equals(stripped);
        if (forcedLanguageOrNull != null && !forcedLanguageOrNull.isEmpty()) {
            return new Parsed(forcedLanguageOrNull, s, repaired);
        }
        int tag = s.indexOf(ASR_TEXT_TAG);
        if (tag < 0) return new Parsed("", PyStrings.strip(s), repaired);
        String meta = s.substring(0, tag);
        String text = PyStrings.strip(s.substring(tag + ASR_TEXT_TAG.length()));
        if (meta.toLowerCase(Locale.ROOT).contains("language none")) return new Parsed("", text, repaired);
        String language = "";
        for (String line : PyStrings.splitlines(meta)) {
            line = PyStrings.strip(line);
            if (line.isEmpty()) continue;
            if (line.toLowerCase(Locale.ROOT).startsWith(LANGUAGE_PREFIX)) {
                // The prefix is ASCII, so its length in chars equals its length in code points.
                String value = PyStrings.strip(line.substring(LANGUAGE_PREFIX.length()));
                if (!value.isEmpty()) language = Languages.normalize(value);
                break;
            }
        }
        return new Parsed(language, text, repaired);
    }
}
