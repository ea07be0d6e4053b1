package io.github.qwenasr.eval;

import java.util.Objects;

/**
 * One hypothesis scored against its reference: both texts after {@link TextNormalizer#normalize},
 * and the word and character errors between them (docs/modes.md 13.3).
 *
 * @param reference  the normalised reference
 * @param hypothesis the normalised hypothesis
 * @param words      word errors ({@link TextNormalizer#words})
 * @param characters character errors ({@link TextNormalizer#characters}: spaces left out)
 */
public record Score(String reference, String hypothesis, EditCounts words, EditCounts characters) {
    public Score {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(hypothesis, "hypothesis");
        Objects.requireNonNull(words, "words");
        Objects.requireNonNull(characters, "characters");
    }

    /** Normalises both texts and aligns them in words and in characters. */
    public static Score of(String reference, String hypothesis) {
        String ref = TextNormalizer.normalize(reference);
        String hyp = TextNormalizer.normalize(hypothesis);
        return new Score(ref, hyp,
                EditDistance.words(TextNormalizer.words(ref), TextNormalizer.words(hyp)),
                EditDistance.align(TextNormalizer.characters(ref), TextNormalizer.characters(hyp)));
    }
}
