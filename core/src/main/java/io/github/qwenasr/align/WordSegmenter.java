package io.github.qwenasr.align;

import java.util.List;

/**
 * A word segmenter for a language whose alignment units come from a dictionary-based analyser rather
 * than from whitespace (docs/model.md 7.2: Japanese, which the official package segments with nagisa).
 * Implementations are found with {@link java.util.ServiceLoader}; the core library ships none, so that
 * it keeps no dependencies. {@link AlignmentUnits} cleans the words and drops the empty ones.
 */
public interface WordSegmenter {
    /** The language this segmenter serves, as the aligner names it (case-insensitive), e.g. "Japanese". */
    String language();

    /** The words of {@code text} in order, punctuation and spaces included or not (they are cleaned away). */
    List<String> words(String text);
}
