package io.github.qwenasr.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two pre-tokenisation regexes the reference tokenizer may use (docs/model.md 6.3 step 3 and
 * docs/model.md 6.3a), and the rule that picks one from a model directory's {@code config.json}.
 *
 * <p>Both are compiled with {@link Pattern#UNICODE_CHARACTER_CLASS} so that {@code \s} is Unicode
 * White_Space and {@code (?i)} folds case the Unicode way, as in the reference regex engine.
 */
public enum PreTokenizerRegex {
    /** The regex of Qwen's own tokenizer (contractions, whole letter runs, single digits). */
    QWEN("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    /**
     * The replacement that transformers 4.57.3–4.x installs when loading with
     * {@code fix_mistral_regex=True} (no contractions; letter runs split at lower→upper changes).
     */
    PATCHED("[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+"
            + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*"
            + "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");

    /** Model types for which transformers keeps its Mistral suspicion even on old versions. */
    private static final Set<String> MISTRAL_TYPES = Set.of("mistral", "mistral3", "voxtral", "ministral", "pixtral");

    private final String source;
    /** Compiled on first use: both patterns at class initialisation cost a cold start tens of ms. */
    private volatile Pattern compiled;

    PreTokenizerRegex(String regex) {
        this.source = regex;
    }

    /** The regex source text. */
    public String pattern() {
        return source;
    }

    private Pattern compiled() {
        Pattern p = compiled;
        if (p == null) {
            // Racing threads may both compile; the results are equal and immutable.
            p = Pattern.compile(source, Pattern.UNICODE_CHARACTER_CLASS);
            compiled = p;
        }
        return p;
    }

    /**
     * The regex used for a model directory whose {@code config.json} has the given top-level
     * {@code transformers_version} (null or empty when the field is absent) and a non-Mistral
     * {@code model_type} such as {@code qwen3_asr} (docs/model.md 6.3a).
     *
     * @throws io.github.qwenasr.QwenAsrException when the version string cannot be parsed
     */
    public static PreTokenizerRegex choose(String transformersVersionOrNull) {
        return choose(transformersVersionOrNull, "qwen3_asr");
    }

    /**
     * The full rule of transformers 4.57.6 {@code _patch_mistral_regex} for a local directory
     * that has a {@code config.json}: version ≤ 4.57.2 with a known non-Mistral model type, or
     * version ≥ 5.0.0, keeps {@link #QWEN}; everything else (including a missing version) gets
     * {@link #PATCHED}. A directory without {@code config.json} keeps {@link #QWEN}; that case is
     * handled by {@link Tokenizer#load}.
     */
    public static PreTokenizerRegex choose(String transformersVersionOrNull, String modelTypeOrNull) {
        if (transformersVersionOrNull == null || transformersVersionOrNull.isEmpty()) return PATCHED;
        TransformersVersion v = TransformersVersion.parse(transformersVersionOrNull);
        if (v.compareToRelease(4, 57, 2) <= 0) {
            boolean knownNonMistral = modelTypeOrNull != null && !MISTRAL_TYPES.contains(modelTypeOrNull);
            return knownNonMistral ? QWEN : PATCHED;
        }
        return v.compareToRelease(5, 0, 0) >= 0 ? QWEN : PATCHED;
    }

    /** Splits text into pre-tokens; together they cover the text exactly, in order. */
    public List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        forEachPiece(text, pieces::add);
        return pieces;
    }

    /**
     * Feeds each pre-token to {@code sink}. Text between matches (none is expected with these
     * regexes) is passed on as its own piece, like the reference's "isolated" split.
     */
    void forEachPiece(String text, Consumer<String> sink) {
        Matcher m = compiled().matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) sink.accept(text.substring(last, m.start()));
            if (m.end() > m.start()) sink.accept(text.substring(m.start(), m.end()));
            last = m.end();
        }
        if (last < text.length()) sink.accept(text.substring(last));
    }
}
