package io.github.qwenasr.prompt;

import io.github.qwenasr.QwenAsrException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The 30 languages Qwen3-ASR accepts as a forced language, in the official order (docs/model.md 9),
 * and the official name normalisation (docs/model.md 5.3, 8.6): strip, first code point upper-case, the rest
 * lower-case.
 */
public final class Languages {
    private static final List<String> SUPPORTED = List.of(
            "Chinese", "English", "Cantonese", "Arabic", "German", "French", "Spanish", "Portuguese",
            "Indonesian", "Italian", "Korean", "Russian", "Thai", "Vietnamese", "Japanese", "Turkish",
            "Hindi", "Malay", "Dutch", "Swedish", "Danish", "Finnish", "Polish", "Czech", "Filipino",
            "Persian", "Greek", "Romanian", "Hungarian", "Macedonian");
    /** The published forced aligner's languages (docs/model.md 7.6), a subset of the above. */
    private static final List<String> ALIGNER = List.of("Chinese", "English", "Cantonese", "French", "German",
            "Italian", "Japanese", "Korean", "Portuguese", "Russian", "Spanish");

    private Languages() {
    }

    /** The supported names, official spelling and order. */
    public static List<String> all() {
        return SUPPORTED;
    }

    /** The 11 languages the forced aligner can time, in the official aligner's order. */
    public static List<String> aligner() {
        return ALIGNER;
    }

    /** {@link #canonical} restricted to the aligner's languages. */
    public static Optional<String> canonicalForAligner(String userInput) {
        return canonical(userInput).filter(ALIGNER::contains);
    }

    /**
     * Python-style {@code s[:1].upper() + s[1:].lower()} after a Python {@code strip()}, e.g.
     * {@code " cHINese "} → {@code "Chinese"}. Null or blank input gives "".
     */
    public static String normalize(String name) {
        if (name == null) return "";
        String s = PyStrings.strip(name);
        if (s.isEmpty()) return "";
        int first = Character.charCount(s.codePointAt(0));
        // String-level case mapping, as Python's: one code point may map to several (ß -> SS).
        return s.substring(0, first).toUpperCase(Locale.ROOT) + s.substring(first).toLowerCase(Locale.ROOT);
    }

    /**
     * The canonical supported name for user input, or empty when the input is null, blank or not
     * a supported language (use {@link #require} to get an error message instead).
     */
    public static Optional<String> canonical(String userInput) {
        String n = normalize(userInput);
        return !n.isEmpty() && SUPPORTED.contains(n) ? Optional.of(n) : Optional.empty();
    }

    /**
     * The canonical supported name for user input.
     *
     * @throws QwenAsrException "Unsupported language: X (supported: Chinese, English, ...)" when
     *                          the input is null, blank or not supported; X is the normalised
     *                          input, as in the reference's message
     */
    public static String require(String userInput) {
        return canonical(userInput).orElseThrow(() -> new QwenAsrException(
                "Unsupported language: " + normalize(userInput)
                        + " (supported: " + String.join(", ", SUPPORTED) + ")"));
    }

    /**
     * The reference's reading of a user's forced language (docs/model.md 5.3): null or blank means "not
     * forced" (empty); anything else must be a supported name.
     *
     * @throws QwenAsrException when a non-blank input is not supported
     */
    public static Optional<String> forced(String userInput) {
        if (userInput == null || PyStrings.isBlank(userInput)) return Optional.empty();
        return Optional.of(require(userInput));
    }
}
